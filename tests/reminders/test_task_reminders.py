"""Task reminders: set from the page, moved with the due date, fired once at the right instant."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.core.database import utcnow
from app.extensions import db
from app.notifications.jobs import send_reminder_notifications
from app.reminders.models import TaskReminder
from app.reminders.service import claim_due, fire_time
from app.tasklist.models import Task, TaskStatus

# Berlin moves its clocks forward at 02:00 on Sunday 29 March 2026.
DUE_AFTER_DST = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # Monday 09:00 CEST
# A fixed now for tests that set reminders and due dates in 2030 from the pages: a reminder
# must be ahead of now and a due date within ten years of it.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_days_and_weeks_before_keep_the_wall_clock_time_across_a_clock_change():
    sunday_noon_cest = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    # Saturday 12:00 CET, not Saturday 11:00 CET (which a plain 24 hours would give).
    assert fire_time(sunday_noon_cest, "1d", "Europe/Berlin") == datetime(
        2026, 3, 28, 11, 0, tzinfo=UTC
    )
    # Monday 09:00 CET a week before Monday 09:00 CEST.
    assert fire_time(DUE_AFTER_DST, "1w", "Europe/Berlin") == datetime(
        2026, 3, 23, 8, 0, tzinfo=UTC
    )
    # An hour is an hour.
    assert fire_time(DUE_AFTER_DST, "1h", "Europe/Berlin") == DUE_AFTER_DST - timedelta(hours=1)
    assert fire_time(None, "1d", "Europe/Berlin") is None


@pytest.fixture
def clock():
    """NOW for the whole test, its task and login included (ask for it with usefixtures, so it
    starts before them): a session made at today's real date and read on NOW's would be from
    the future, or expired. Not for tests with a worker, whose clock must run."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owned(make, auth):
    me = make.user(email="ann@example.com", name="Ann", timezone="Europe/Berlin")
    project = make.project(me)
    task = make.task(
        project, me, title="File the taxes", assignee_id=me, due_at=utcnow() + timedelta(days=10)
    )
    auth.login("ann@example.com")
    return {"me": me, "project": project, "task": task}


def reminders(app):
    with app.app_context():
        rows = list(db.session.scalars(db.select(TaskReminder).order_by(TaskReminder.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.mark.usefixtures("clock")
def test_reminders_are_set_from_the_task_page_and_follow_the_due_date(app, client, owned):
    client.post(f"/task/{owned['task']}/reminders", data={"when": "1d"})
    client.post(f"/task/{owned['task']}/reminders", data={"when": "at", "at": "2030-01-02T08:30"})
    relative, fixed = reminders(app)
    assert fixed.remind_at == datetime(2030, 1, 2, 7, 30, tzinfo=UTC), "read in the owner's zone"
    page = client.get(f"/task/{owned['task']}").data.decode()
    assert "Wed 02 Jan 2030, 08:30 CET" in page
    client.post(
        f"/task/{owned['task']}/edit",
        data={
            "title": "File the taxes",
            "status": "pending",
            "priority": "medium",
            "due_at": "2030-06-15T12:00",
            "assignee_id": str(owned["me"]),
            "description": "",
        },
    )
    relative, fixed = reminders(app)
    assert relative.remind_at == datetime(2030, 6, 14, 10, 0, tzinfo=UTC), "moved with the due date"
    assert fixed.remind_at == datetime(2030, 1, 2, 7, 30, tzinfo=UTC), "a set time stays put"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": "at", "at": "2001-01-01T10:00"}, b"already passed"),
        ({"when": "at", "at": "soon"}, b"Enter a date and time"),
        ({"when": "fortnight"}, b"Choose when to be reminded"),
    ],
)
def test_bad_reminders_are_explained_and_not_stored(app, client, owned, data, message):
    response = client.post(f"/task/{owned['task']}/reminders", data=data, follow_redirects=True)
    assert message in response.data
    assert reminders(app) == []


def test_nobody_removes_another_persons_reminder(app, client, make, owned):
    other = make.user(email="bob@example.com")
    with app.app_context():
        db.session.add(
            TaskReminder(
                task_id=owned["task"], user_id=other, remind_at=utcnow() + timedelta(days=1)
            )
        )
        db.session.commit()
        reminder_id = db.session.scalar(db.select(TaskReminder.id))
    assert client.post(f"/reminders/{reminder_id}/delete").status_code == 404


def test_a_reminder_fires_at_its_instant_once_and_not_for_a_finished_task(app, make, owned):
    with app.app_context():
        task = db.session.get(Task, owned["task"])
        task.due_at = DUE_AFTER_DST
        db.session.add(
            TaskReminder(
                task_id=owned["task"],
                user_id=owned["me"],
                remind_at=fire_time(DUE_AFTER_DST, "1d", "Europe/Berlin"),
                before_due="1d",
            )
        )
        done = make.task(owned["project"], owned["me"], status=TaskStatus.COMPLETED)
        db.session.add(
            TaskReminder(
                task_id=done, user_id=owned["me"], remind_at=DUE_AFTER_DST - timedelta(days=2)
            )
        )
        db.session.commit()
        just_before = datetime(2026, 3, 29, 6, 59, tzinfo=UTC)
        assert claim_due(db.session, just_before) == []
        fired = claim_due(db.session, just_before + timedelta(minutes=1))
        assert [r.task_id for r in fired] == [owned["task"]]
        assert claim_due(db.session, just_before + timedelta(hours=5)) == []
        db.session.rollback()


@pytest.mark.worker
def test_the_reminder_job_emails_the_owner_once(app, celery_worker, smtp, owned):
    with app.app_context():
        db.session.add(
            TaskReminder(
                task_id=owned["task"],
                user_id=owned["me"],
                remind_at=utcnow() - timedelta(minutes=1),
            )
        )
        db.session.commit()
    assert send_reminder_notifications.delay().get(timeout=15) == {"fired": 1, "emailed": 1}
    [message] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert re.search(
        r"Reminder: “File the taxes” is due \w{3} \d\d \w{3} \d{4}, \d\d:\d\d CE", text
    )
    assert send_reminder_notifications.delay().get(timeout=15) == {"fired": 0, "emailed": 0}
