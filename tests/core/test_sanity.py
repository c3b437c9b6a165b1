"""Choices that make sense: believable due dates, reminders that can fire, no snoozing done work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.actions.links import issue
from app.extensions import db
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus

# Sunday 6 December 2026, 16:00 in Berlin.
NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # Wed 09 Dec 2026, 09:00 CET


@pytest.fixture
def team(make, auth):
    with time_machine.travel(NOW, tick=False):
        me = make.user(email="ann@example.com", name="Ann", timezone="Europe/Berlin")
        project = make.project(me)
        due = make.task(project, me, title="Due soon", assignee_id=me, due_at=DUE)
        undated = make.task(project, me, title="Someday", assignee_id=me)
        done = make.task(
            project, me, title="Shipped", assignee_id=me, status=TaskStatus.COMPLETED, due_at=DUE
        )
        auth.login("ann@example.com")
        yield {"me": me, "project": project, "due": due, "undated": undated, "done": done}


def task_form(me: int, due_at: str) -> dict[str, str]:
    return {
        "title": "Pay the rent",
        "status": "pending",
        "priority": "medium",
        "due_at": due_at,
        "assignee_id": str(me),
        "description": "",
    }


def stored_reminders(app) -> list[TaskReminder]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(TaskReminder)))
        db.session.expunge_all()
        return rows


@pytest.mark.parametrize(
    ("due_at", "message"),
    [
        ("1900-01-01T10:00", "01 Jan 1900 is more than a year ago; check the year"),
        ("2025-11-30T10:00", "30 Nov 2025 is more than a year ago"),
        ("2045-01-01T10:00", "01 Jan 2045 is more than 10 years ahead; check the year"),
    ],
)
def test_an_unbelievable_due_date_is_refused(app, client, team, due_at, message):
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/projects/{team['project']}/tasks/new", data=task_form(team["me"], due_at)
        )
    assert response.status_code == 200 and message in response.data.decode()
    with app.app_context():
        assert db.session.scalar(db.select(Task).where(Task.title == "Pay the rent")) is None


def test_a_late_entry_within_the_year_is_accepted_and_an_old_date_kept_on_edit(
    app, client, make, team
):
    with time_machine.travel(NOW, tick=False):
        created = client.post(
            f"/projects/{team['project']}/tasks/new",
            data=task_form(team["me"], "2026-01-05T10:00"),
        )
        assert created.status_code == 302
        old = make.task(team["project"], team["me"], due_at=datetime(2019, 5, 1, 10, 0, tzinfo=UTC))
        kept = client.post(f"/task/{old}/edit", data=task_form(team["me"], "2019-05-01T12:00"))
    assert kept.status_code == 302, "an old date saved unchanged is not the person's typo"
    assert make.get(Task, old).title == "Pay the rent"


def test_a_task_without_a_due_date_offers_only_a_chosen_time(app, client, team):
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/task/{team['undated']}").data.decode()
        refused = client.post(
            f"/task/{team['undated']}/reminders", data={"when": "1d"}, follow_redirects=True
        )
    assert "This task has no due date, so a reminder comes at a time you choose." in page
    assert "before the due date" not in page
    assert '<option selected value="at">At a time I choose</option>' in page
    assert b"Choose when to be reminded from the list" in refused.data
    assert stored_reminders(app) == []


def test_relative_reminders_are_listed_as_before_the_due_date(app, client, team):
    with time_machine.travel(NOW, tick=False):
        client.post(f"/task/{team['due']}/reminders", data={"when": "1d"})
        client.post(f"/task/{team['due']}/reminders", data={"when": "at", "at": "2026-12-07T10:00"})
        page = client.get(f"/task/{team['due']}").data.decode()
    assert "1 day before the due date (Tue 08 Dec 2026, 09:00 CET)" in page
    assert "Mon 07 Dec 2026, 10:00 CET" in page


def test_a_completed_task_offers_no_reminder_and_its_snooze_link_says_why(app, client, team):
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/task/{team['done']}").data.decode()
        refused = client.post(
            f"/task/{team['done']}/reminders",
            data={"when": "at", "at": "2026-12-07T10:00"},
            follow_redirects=True,
        )
        with app.app_context():
            token = issue(app.config["SECRET_KEY"], team["me"], team["done"], "snooze")
        client.post("/logout")
        asked = client.get(f"/actions/{token}")
        acted = client.post(f"/actions/{token}")
    assert "This task is done, so there is nothing to remind you of." in page
    assert "Set reminder" not in page
    assert "This task is done; there is nothing left to remind you of." in refused.data.decode()
    for response in (asked, acted):
        assert response.status_code == 400
        assert "“Shipped” is done; there is nothing to remind you of." in response.data.decode()
    assert stored_reminders(app) == []
