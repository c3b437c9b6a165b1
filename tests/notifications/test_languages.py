"""Activity and escalation emails, and in-app notifications, in their recipient's language:
German and Japanese words and dates, whatever language the current request reads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.notifications import service as notifications
from app.notifications.emails import compose_activity, compose_escalation
from app.notifications.models import Notification, NotificationKind
from app.notifications.rules import Event
from app.projects.models import Project
from app.tasklist.models import Task, TaskPriority, TaskStatus

NOW = datetime(2026, 12, 12, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday, five days before NOW


def reader(language: str) -> User:
    return User(id=7, email="ada@example.org", name="Ada", timezone="UTC", language=language)


def late_task() -> Task:
    project = Project(id=3, name="Website")
    assignee = User(id=8, email="bob@example.org", name="Bob", timezone="UTC", language="en")
    return Task(
        id=12,
        title="Sign the contract",
        project=project,
        project_id=3,
        assignee=assignee,
        assignee_id=8,
        status=TaskStatus.IN_PROGRESS,
        priority=TaskPriority.HIGH,
        due_at=DUE,
    )


def text_and_html(email) -> tuple[str, str]:
    return email.content.text, email.content.html


ESCALATION = {
    "de": (
        "5 Tage überfällig: Sign the contract (Bob) [Website]",
        "Mo., 7. Dez. 2026, 08:00",
        "„In Arbeit“",
        "Neu zuweisen",
    ),
    "ja": (
        "5日の期限切れ：Sign the contract（Bob）[Website]",
        "2026年12月7日(月) 8:00",
        "進行中",
        "担当者を変更",
    ),
}


@pytest.mark.parametrize("language", ["de", "ja"])
def test_an_escalation_is_written_in_its_readers_language(app, language):
    subject, date, status, reassign = ESCALATION[language]
    # A French-speaking browser is making this request: it must not leak into the email.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        email = compose_escalation(reader(language), late_task(), [], NOW)
    assert email.content.subject == subject
    text, html = text_and_html(email)
    for part in (text, html):
        assert date in part and status in part and reassign in part, (language, part)
        assert "You get this because" not in part and "retard" not in part


ACTIVITY = {
    "de": (
        "Aufgabe öffnen",
        "fällig Mo., 7. Dez. 2026, 08:00",
        "1 Neuigkeit zu „Sign the contract“",
    ),
    "ja": ("タスクを開く", "期限 2026年12月7日(月) 8:00", "「Sign the contract」の更新 1 件"),
}


@pytest.mark.parametrize("language", ["de", "ja"])
def test_an_activity_email_is_written_in_its_readers_language(app, language):
    button, due, subject = ACTIVITY[language]
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        email = compose_activity(reader(language), late_task(), ["…"], now=NOW)
    assert email.content.subject == subject
    text, html = text_and_html(email)
    for part in (text, html):
        assert button in part and due in part, (language, part)


def test_in_app_notifications_are_stored_in_each_recipients_language(app, make):
    ana = make.user(email="ana@example.com", name="Ana")
    dirk = make.user(email="dirk@example.com", name="Dirk")
    jun = make.user(email="jun@example.com", name="Jun")
    project = make.project(ana, members=(dirk, jun))
    task_id = make.task(project, dirk, title="Fix login", assignee_id=jun)
    with app.app_context():
        db.session.get(User, dirk).language = "de"
        db.session.get(User, jun).language = "ja"
        db.session.commit()
        event = Event(NotificationKind.STATUS_CHANGED, task_id, ana, None, "pending", "blocked")
        notifications.record(db.session, event, "blocked", NOW)
        db.session.commit()
        stored = dict(db.session.execute(select(Notification.user_id, Notification.message)).all())
    assert stored == {
        dirk: "Ana hat „Fix login“ auf „Blockiert“ gesetzt",
        jun: "Anaさんが「Fix login」をブロック中にしました",
    }
