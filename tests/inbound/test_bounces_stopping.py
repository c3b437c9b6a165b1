"""After a hard bounce Tickler stops emailing the person (digests, task activity), in the app
they still hear of things, and everybody else's email goes on; the selections stay flat."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.comments.models import TaskWatcher
from app.core.database import utcnow
from app.core.email.models import DeliveryStatus, EmailKind
from app.digests.queries import recipients_among
from app.extensions import db
from app.inbound.bounces import handle_bounce
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome
from app.inbound.service import parse_message
from app.notifications.jobs import flush_task_notifications, send_digest_chunk
from app.notifications.models import Notification
from app.notifications.service import channels_for
from app.tasks.task_management import send_task_reminders
from tests.inbound.bounce_messages import dsn
from tests.jobs_helpers import deliveries, run_job, wait_settled

EDIT = {"description": "", "priority": "medium", "due_at": ""}


def hard_bounce(app, address: str) -> None:
    """A Postfix "user unknown" report for `address`, to the plain inbound address."""
    with app.app_context():
        row = InboundMessage(
            message_key=f"<bounce-{address}>",
            kind=InboundKind.UNKNOWN,
            outcome=InboundOutcome.IGNORED,
        )
        assert handle_bounce(db.session, parse_message(dsn(address)), [], row)
        db.session.add(row)
        db.session.commit()


@pytest.fixture
def team(make):
    """Ana and Bob each have a task due in two hours; Cleo is in the team too."""
    now = utcnow()
    ana = make.user(email="ana@example.com", name="Ana")
    bob = make.user(email="bob@example.com", name="Bob")
    cleo = make.user(email="cleo@example.com", name="Cleo")
    project = make.project(ana, name="Launch", members=(bob, cleo))
    for person in (ana, bob):
        make.task(project, ana, assignee_id=person, due_at=now + timedelta(hours=2))
    task = make.task(project, ana, title="Write the post", assignee_id=cleo)
    return {"ana": ana, "bob": bob, "cleo": cleo, "project": project, "task": task, "now": now}


@pytest.mark.worker
def test_the_next_reminder_run_skips_a_bounced_address_and_reaches_the_rest(
    app, celery_worker, smtp, team
):
    hard_bounce(app, "ana@example.com")
    result = run_job(app, send_task_reminders)
    assert result["recipients"] == 1
    smtp.wait_for(1)
    time.sleep(0.5)
    assert [m.envelope_recipients for m in smtp.messages] == [["bob@example.com"]]


@pytest.mark.worker
def test_a_bounce_after_planning_settles_the_claimed_row_skipped(app, celery_worker, smtp, team):
    # Both were planned (the chunk's pairs); Ana's address bounces before the chunk runs.
    period = team["now"].date().isoformat()
    pairs = [[team["ana"], period], [team["bob"], period]]
    hard_bounce(app, "ana@example.com")
    send_digest_chunk.apply(args=("task_reminder", pairs, team["now"].isoformat()))
    wait_settled(app, 2)
    assert [m.envelope_recipients for m in smtp.wait_for(1)] == [["bob@example.com"]]
    rows = {row.recipient_id: row for row in deliveries(app)}
    assert rows[team["ana"]].status == DeliveryStatus.SKIPPED
    assert rows[team["ana"]].reason == {"skipped": "address undeliverable"}
    assert rows[team["bob"]].status == DeliveryStatus.SENT


@pytest.mark.worker
def test_task_activity_reaches_the_bell_but_not_a_bounced_inbox(
    app, client, auth, celery_worker, smtp, team
):
    with app.app_context():
        db.session.add(TaskWatcher(task_id=team["task"], user_id=team["bob"]))
        db.session.commit()
    hard_bounce(app, "bob@example.com")
    auth.login("ana@example.com")
    data = {**EDIT, "title": "Write the post", "status": "in_progress"}
    response = client.post(
        f"/task/{team['task']}/edit", data={**data, "assignee_id": str(team["cleo"])}
    )
    assert response.status_code == 302, response.data
    smtp.wait_for(1)
    time.sleep(2)
    assert [m.envelope_recipients for m in smtp.messages] == [["cleo@example.com"]]
    with app.app_context():
        bobs = db.session.scalars(
            select(Notification).where(Notification.user_id == team["bob"])
        ).all()
        assert [(n.in_app, n.email_wanted) for n in bobs] == [(True, False)]


def test_the_recipient_selections_cost_the_same_for_5_or_50_people(app, make, count_queries):
    def people(count: int, bounced_every: int) -> list[int]:
        ids = [make.user() for _ in range(count)]
        with app.app_context():
            db.session.execute(
                db.text("UPDATE users SET email_undeliverable_at = now() WHERE id = ANY(:ids)"),
                {"ids": ids[::bounced_every]},
            )
            db.session.commit()
        return ids

    def cost(ids: list[int]) -> tuple[int, int, int]:
        with app.app_context(), count_queries() as statements:
            digest = recipients_among(db.session, ids)
            channels, _ = channels_for(db.session, set(ids), "assigned")
        emailed = sum(1 for c in channels.values() if c.email)
        assert {r.user_id for r in digest} == {c for c in ids if channels[c].email}
        assert all(c.in_app for c in channels.values()), "the bell goes on"
        return len(statements), len(digest), emailed

    few, many = people(4, 2), people(50, 2)
    few_cost, many_cost = cost(few), cost(many)
    assert few_cost[0] == many_cost[0] <= 4
    assert (few_cost[1], many_cost[1]) == (2, 25)
    assert (few_cost[2], many_cost[2]) == (2, 25)


def test_an_activity_email_whose_address_bounced_while_batching_is_settled_skipped(app, smtp, team):
    # Bob's news was recorded for email while his address worked; the bounce came within the
    # batching window, before the batch was sent.
    with app.app_context():
        db.session.add(
            Notification(
                user_id=team["bob"],
                kind="status_changed",
                task_id=team["task"],
                actor_id=team["ana"],
                message="Ana changed “Write the post” to In progress",
                email_wanted=True,
                status_from="pending",
                status_to="in_progress",
            )
        )
        db.session.commit()
    hard_bounce(app, "bob@example.com")
    result = flush_task_notifications.apply(args=(team["bob"], team["task"])).get()
    assert result == {"sent": 0, "reason": "address undeliverable"}
    [row] = deliveries(app)
    assert (row.recipient_id, row.kind, row.status) == (
        team["bob"],
        EmailKind.TASK_ACTIVITY,
        DeliveryStatus.SKIPPED,
    )
    assert row.reason["skipped"] == "address undeliverable"
    time.sleep(0.5)
    assert smtp.messages == []
