"""The worker checks access again: a job about team B's objects does nothing for an outsider.

Mallory (team A) has left-over rows on team B's task, as if she had been on B and was removed:
a watch, a comment, a reminder, an unsent notification, a queued export. Carol, still on B, has
the same rows, so each test also shows the job does work for those who may see the task.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.comments.models import Comment, TaskWatcher
from app.core.database import utcnow
from app.exports.jobs import export_tasks_async
from app.exports.models import Export, ExportFormat, ExportStatus
from app.exports.run import NO_ACCESS_MESSAGE
from app.extensions import db
from app.notifications.jobs import (
    flush_task_notifications,
    notify_task_status_update,
    send_comment_mention_notification,
    send_reminder_notifications,
)
from app.notifications.models import Notification
from app.projects.models import MemberRole, ProjectMember
from app.reminders.models import TaskReminder
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require


@pytest.fixture
def carol(app, make, world) -> int:
    carol_id = make.user(email="carol@b.example.com")
    with app.app_context():
        db.session.add(
            ProjectMember(project_id=world.b.project_id, user_id=carol_id, role=MemberRole.MEMBER)
        )
        db.session.commit()
    return carol_id


def add_rows(app, *rows) -> None:
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()


def notified(app, task_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(select(Notification.user_id).where(Notification.task_id == task_id))
        )


def test_an_export_of_a_project_the_person_is_not_on_writes_nothing(
    app, world, tmp_path: Path, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    with app.app_context():
        export = Export(
            user_id=world.member_a_id, project_id=world.b.project_id, format=ExportFormat.CSV
        )
        db.session.add(export)
        db.session.commit()
        export_id = export.id
    outcome = export_tasks_async(export_id)
    assert outcome["rows"] == 0
    with app.app_context():
        export = db.session.get(Export, export_id)
        assert export.status == ExportStatus.FAILED and export.error == NO_ACCESS_MESSAGE
        assert export.file_path is None
    assert list(tmp_path.iterdir()) == []


def test_a_status_change_is_not_told_to_a_former_watcher_or_commenter(app, world, carol):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    task_id = world.b.task_id
    add_rows(
        app,
        TaskWatcher(task_id=task_id, user_id=world.member_a_id),
        TaskWatcher(task_id=task_id, user_id=carol),
        Comment(task_id=task_id, author_id=world.member_a_id, body="from before I left"),
    )
    result = notify_task_status_update(task_id, world.b.owner_id, "completed")
    assert result["emailed"] == [carol]
    comment_id = add_comment(app, task_id, world.b.owner_id, "@mallory still there?")
    send_comment_mention_notification(comment_id)
    assert notified(app, task_id) - {world.b.owner_id} == {carol}


def add_comment(app, task_id: int, author_id: int, body: str) -> int:
    with app.app_context():
        comment = Comment(task_id=task_id, author_id=author_id, body=body)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def test_a_reminder_set_before_leaving_the_team_does_not_fire(app, world, carol):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    due = utcnow() - timedelta(minutes=1)
    task_id = world.b.task_id
    add_rows(
        app,
        TaskReminder(task_id=task_id, user_id=world.member_a_id, remind_at=due),
        TaskReminder(task_id=task_id, user_id=carol, remind_at=due),
    )
    result = send_reminder_notifications()
    assert result["emailed"] == 1
    assert notified(app, task_id) - {world.b.owner_id} == {carol}


def test_a_waiting_email_about_a_task_no_longer_visible_is_not_sent(app, world, carol, smtp):
    task_id = world.b.task_id
    add_rows(
        app,
        *(
            Notification(
                user_id=user_id,
                kind="commented",
                task_id=task_id,
                message="Bob commented on the secret task",
                email_wanted=True,
            )
            for user_id in (world.member_a_id, carol)
        ),
    )
    assert flush_task_notifications(world.member_a_id, task_id) == {
        "sent": 0,
        "reason": "no access",
    }
    assert flush_task_notifications(carol, task_id)["sent"] == 1
    assert [m["To"] for m in smtp.wait_for(1)] and smtp.to("mallory@a.example.com") == []
