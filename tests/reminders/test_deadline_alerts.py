"""check_task_deadlines: per-task alerts in the last 24 hours, and escalation to the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.database import utcnow
from app.core.email.models import EmailKind
from app.digests.delivery import digest_rules, plan_digest
from app.extensions import db
from app.notifications.jobs import check_task_deadlines
from app.preferences.models import PER_TASK_ALERTS
from app.preferences.service import set_choice
from app.tasklist.models import Task

pytestmark = pytest.mark.worker


@pytest.fixture
def team(app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    with app.app_context():
        set_choice(db.session, bob, PER_TASK_ALERTS, True)
        db.session.commit()
    project = make.project(ann, name="Launch", members=(bob,))
    return {"ann": ann, "bob": bob, "project": project}


def run(app):
    return check_task_deadlines.delay().get(timeout=15)


def test_a_task_entering_its_last_day_alerts_its_assignee_once(
    app, celery_worker, smtp, make, team
):
    soon = make.task(
        team["project"],
        team["ann"],
        title="Ship it",
        assignee_id=team["bob"],
        due_at=utcnow() + timedelta(hours=10),
    )
    make.task(
        team["project"],
        team["ann"],
        title="Ann's own",
        assignee_id=team["ann"],
        due_at=utcnow() + timedelta(hours=10),
    )
    make.task(
        team["project"],
        team["ann"],
        title="Later",
        assignee_id=team["bob"],
        due_at=utcnow() + timedelta(days=3),
    )
    assert run(app)["deadline_alerts"] == 1, "only those who chose per-task alerts"
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["bob@example.com"]
    assert "“Ship it” is due" in message.get_body(("plain",)).get_content()
    assert run(app)["deadline_alerts"] == 0, "once per task"
    with app.app_context():
        db.session.get(Task, soon).due_at = utcnow() + timedelta(hours=20)
        db.session.commit()
    assert run(app)["deadline_alerts"] == 1, "a new due date re-arms the alert"


def test_people_with_per_task_alerts_skip_the_daily_reminder(app, make, team):
    for person in (team["ann"], team["bob"]):
        make.task(
            team["project"], team["ann"], assignee_id=person, due_at=utcnow() + timedelta(hours=5)
        )
    with app.app_context():
        rule = digest_rules(app.config)[EmailKind.TASK_REMINDER]
        planned = plan_digest(db.session, rule, utcnow(), scheduled=False)
    assert [user_id for user_id, _ in planned] == [team["ann"]]


def test_long_overdue_tasks_are_escalated_once_to_the_project_owner(
    app, celery_worker, smtp, make, team
):
    make.task(
        team["project"],
        team["ann"],
        title="Stuck",
        assignee_id=team["bob"],
        due_at=utcnow() - timedelta(days=4),
    )
    make.task(
        team["project"],
        team["ann"],
        title="Only a bit late",
        assignee_id=team["bob"],
        due_at=utcnow() - timedelta(days=1),
    )
    assert run(app)["escalations"] == 1
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert "“Stuck” was due" in message.get_body(("plain",)).get_content()
    assert run(app)["escalations"] == 0


def test_the_escalation_tells_the_owner_who_has_it_how_late_and_why_with_owner_actions(
    app, celery_worker, smtp, make, team
):
    stuck = make.task(
        team["project"],
        team["ann"],
        title="Stuck",
        assignee_id=team["bob"],
        due_at=utcnow() - timedelta(days=5, hours=2),
    )
    assert run(app)["escalations"] == 1
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert message["Subject"] == "Overdue 5 days: Stuck (Bob) [Launch]"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("OVERDUE 5 DAYS: Stuck")
    assert "Bob has this task in Launch" in text
    flat = " ".join(text.split())  # the text part wraps its lines
    assert "because you own Launch" in flat and "more than 3 days" in flat
    assert f"Open the task: http://localhost/task/{stuck}" in text
    assert f"Reassign it: http://localhost/task/{stuck}/edit" in text
    # The assignee's own actions are not offered to the owner.
    for words in ("Mark done", "Remind me tomorrow", "/actions/"):
        assert words not in text and words not in html
    # Urgent styling, inlined by the email pipeline.
    assert "border-left:4pxsolid#c62828" in html.replace(" ", "")
    assert f'href="http://localhost/task/{stuck}/edit"' in html
