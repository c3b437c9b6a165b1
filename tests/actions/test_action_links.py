"""Links in task emails: ask on GET, act once on POST, refuse anything altered or stale."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from app.actions.links import issue
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import ProjectMember
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus
from app.tasks.task_management import send_task_reminders
from tests.jobs_helpers import run_job

pytestmark = pytest.mark.worker


@pytest.fixture
def setup(app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, name="Launch", members=(bob,))
    task = make.task(
        project, ann, title="Ship it", assignee_id=bob, due_at=utcnow() + timedelta(hours=5)
    )
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def link(app, setup, action="done"):
    with app.app_context():
        return "/actions/" + issue(app.config["SECRET_KEY"], setup["bob"], setup["task"], action)


def test_mark_done_asks_first_then_acts_once_without_logging_in(
    app, client, smtp, celery_worker, setup, make
):
    url = link(app, setup)
    page = client.get(url)
    assert page.status_code == 200 and b"Mark \xe2\x80\x9cShip it\xe2\x80\x9d as done?" in page.data
    assert make.get(Task, setup["task"]).status == TaskStatus.PENDING, "a GET changes nothing"
    done = client.post(url)
    assert done.status_code == 200 and b"is marked as done" in done.data
    assert make.get(Task, setup["task"]).status == TaskStatus.COMPLETED
    again = client.post(url)
    assert again.status_code == 400 and b"already been used" in again.data
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"], "the creator hears Bob finished it"


def test_remind_me_tomorrow_sets_a_reminder(app, client, setup):
    client.post(link(app, setup, "snooze"))
    with app.app_context():
        reminder = db.session.scalar(db.select(TaskReminder))
        assert reminder.user_id == setup["bob"]
        assert timedelta(hours=23) < reminder.remind_at - utcnow() <= timedelta(days=1)


def test_altered_expired_and_no_longer_allowed_links_are_refused(app, client, setup, make):
    url = link(app, setup)
    assert b"not valid" in client.get(url[:-3] + "abc").data
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        assert b"expired" in client.get(url).data
    with app.app_context():
        db.session.execute(db.delete(ProjectMember).where(ProjectMember.user_id == setup["bob"]))
        db.session.commit()
    refused = client.post(url)
    assert refused.status_code == 400 and b"no longer applies" in refused.data
    assert make.get(Task, setup["task"]).status == TaskStatus.PENDING


def test_reminder_digest_carries_working_links_for_each_task(
    app, client, smtp, celery_worker, setup, make
):
    run_job(app, send_task_reminders)
    [message] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    # The label and its link may be on two lines: the text part is wrapped at 78 columns.
    url = re.search(r"Mark done:\s+http://localhost(/actions/\S+)", text).group(1)
    client.post(url)
    assert make.get(Task, setup["task"]).status == TaskStatus.COMPLETED
