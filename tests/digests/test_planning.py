"""Planning a digest run against the real database: who, for which period, in how many queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.accounts.models import User
from app.core.email.ledger import claim
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.digests.delivery import digest_rules, handled_pairs, plan_digest, prepare_chunk
from app.extensions import db
from app.operations import owed_work
from app.preferences.service import pause_digests

# 23:00 UTC on Tuesday 24 November 2026 is 08:00 on Wednesday in Tokyo.
TOKYO_EIGHT = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
KOLKATA_EIGHT = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)


@pytest.fixture
def world(make):
    people = {
        "tokyo": make.user(email="tokyo@example.com", timezone="Asia/Tokyo"),
        "kolkata": make.user(email="kolkata@example.com", timezone="Asia/Kolkata"),
        "london": make.user(email="london@example.com", timezone="Europe/London"),
    }
    project = make.project(people["tokyo"], members=(people["kolkata"], people["london"]))
    for person in people.values():
        # Due soon at every instant these tests use.
        make.task(project, person, assignee_id=person, due_at=KOLKATA_EIGHT + timedelta(hours=4))
    return people


def plan(app, now, kind=EmailKind.TASK_REMINDER, scheduled=True):
    with app.app_context():
        rule = digest_rules(app.config)[kind]
        return plan_digest(db.session, rule, now, scheduled=scheduled)


def mark_sent(app, user_id, period):
    with app.app_context():
        db.session.add(
            Delivery(
                recipient_id=user_id,
                kind=EmailKind.TASK_REMINDER,
                period=period,
                status=DeliveryStatus.SENT,
            )
        )
        db.session.commit()


def test_tokyo_gets_its_reminder_at_eight_tokyo_time_and_kolkata_at_eight_kolkata_time(app, world):
    # Everyone had Tuesday's reminder; London's Tuesday is not over at 23:00 UTC.
    for person in world.values():
        mark_sent(app, person, "2026-11-24")
    assert plan(app, TOKYO_EIGHT - timedelta(minutes=15)) == []
    assert plan(app, TOKYO_EIGHT) == [(world["tokyo"], "2026-11-25")]
    assert sorted(plan(app, KOLKATA_EIGHT)) == sorted(
        [(world["tokyo"], "2026-11-25"), (world["kolkata"], "2026-11-25")]
    )


def test_a_sent_or_stuck_digest_is_not_planned_again_the_sweep_takes_the_stuck_one(app, world):
    mark_sent(app, world["tokyo"], "2026-11-25")
    mark_sent(app, world["london"], "2026-11-24")
    with app.app_context():
        db.session.add(
            Delivery(
                recipient_id=world["kolkata"],
                kind=EmailKind.TASK_REMINDER,
                period="2026-11-25",
                status=DeliveryStatus.SENDING,
                updated_at=KOLKATA_EIGHT - timedelta(hours=2),
            )
        )
        db.session.commit()
    # Kolkata's row was claimed two hours ago by a job that never finished: still owed, so not
    # planned twice; the sweep queues it again (its lease is long gone).
    assert plan(app, KOLKATA_EIGHT) == []
    with app.app_context():
        orphans = owed_work.orphaned_digests(db.session, KOLKATA_EIGHT)
    assert [(o.recipient_id, o.period) for o in orphans] == [(world["kolkata"], "2026-11-25")]


def test_paused_and_inactive_people_are_not_planned(app, world):
    mark_sent(app, world["london"], "2026-11-24")
    with app.app_context():
        pause_digests(db.session, world["tokyo"], date(2026, 11, 30))
        db.session.get(User, world["kolkata"]).is_active = False
        db.session.commit()
    assert plan(app, KOLKATA_EIGHT) == []


def test_claiming_is_exclusive_between_two_jobs_but_open_to_the_same_job_again(app, world):
    pairs = [(world["tokyo"], "2026-11-25")]
    with app.app_context():
        first = claim(db.session, EmailKind.TASK_REMINDER, pairs, "job-a", TOKYO_EIGHT)
        db.session.commit()
        second = claim(db.session, EmailKind.TASK_REMINDER, pairs, "job-b", TOKYO_EIGHT)
        db.session.commit()
        again = claim(db.session, EmailKind.TASK_REMINDER, pairs, "job-a", TOKYO_EIGHT)
        db.session.commit()
    assert len(first) == 1 and second == []
    assert len(again) == 1 and again[0].attempts == 2, "a redelivered job takes its own row back"


def count_statements(app, action):
    statements = []
    with app.app_context():
        engine = db.engine

        def record(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def add_people(make, count, due):
    ids = [make.user(timezone="UTC") for _ in range(count)]
    project = make.project(ids[0], members=tuple(ids[1:]))
    for person in ids:
        make.task(project, person, assignee_id=person, due_at=due)
        make.task(project, person, assignee_id=person, due_at=due + timedelta(hours=1))
    return ids


@pytest.mark.parametrize(
    ("kind", "due_in", "period"),
    [
        (EmailKind.TASK_REMINDER, timedelta(hours=2), "2026-11-30"),
        (EmailKind.OVERDUE_ALERT, -timedelta(days=1), "2026-11-30"),
        (EmailKind.WEEKLY_SUMMARY, timedelta(days=2), "2026-W49"),
    ],
)
def test_planning_and_a_chunk_take_the_same_number_of_statements_for_3_or_30_people(
    app, make, kind, due_in, period
):
    now = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # a Monday, past every digest's hour
    few = add_people(make, 3, now + due_in)

    def run_plan():
        assert len(plan(app, now, kind)) in (3, 33)

    def run_chunk(ids, token):
        def action():
            pairs = [(uid, period) for uid in ids]
            claimed = claim(db.session, kind, pairs, token, now)
            ready, _, _ = prepare_chunk(db.session, kind, claimed, now)
            assert len(ready) == len(ids)
            db.session.rollback()

        return action

    plan_few = count_statements(app, run_plan)
    chunk_few = count_statements(app, run_chunk(few, "few"))
    many = add_people(make, 30, now + due_in)
    plan_many = count_statements(app, run_plan)
    chunk_many = count_statements(app, run_chunk(many, "many"))
    assert plan_many == plan_few <= 4
    # Five, and two for the listed tasks' labels and checklist progress (issue 19).
    assert chunk_many == chunk_few <= 7


def test_overdue_alert_and_weekly_summary_wait_for_their_own_local_hour(app, make):
    person = make.user(email="berlin@example.com", timezone="Europe/Berlin")
    project = make.project(person)
    make.task(project, person, assignee_id=person, due_at=datetime(2026, 11, 20, tzinfo=UTC))
    monday_0959_berlin = datetime(2026, 11, 30, 8, 59, tzinfo=UTC)
    assert plan(app, monday_0959_berlin, EmailKind.OVERDUE_ALERT) == [(person, "2026-11-30")]
    assert plan(app, monday_0959_berlin, EmailKind.WEEKLY_SUMMARY) == []
    assert plan(app, monday_0959_berlin + timedelta(minutes=1), EmailKind.WEEKLY_SUMMARY) == [
        (person, "2026-W49")
    ]
    tuesday = monday_0959_berlin + timedelta(days=1, hours=2)
    assert plan(app, tuesday, EmailKind.WEEKLY_SUMMARY) == []


def test_a_chunk_spanning_two_local_days_claims_only_its_own_pairs(app, world):
    # Tokyo is on the 25th while London is still on the 24th; another job is retrying
    # Tokyo's 24th. This chunk must not take that row, or nobody would send it.
    with app.app_context():
        db.session.add(
            Delivery(
                recipient_id=world["tokyo"],
                kind=EmailKind.TASK_REMINDER,
                period="2026-11-24",
                status=DeliveryStatus.RETRYING,
                attempts=1,
            )
        )
        db.session.commit()
        pairs = [(world["tokyo"], "2026-11-25"), (world["london"], "2026-11-24")]
        claimed = claim(db.session, EmailKind.TASK_REMINDER, pairs, "job-x", TOKYO_EIGHT)
        db.session.commit()
        assert sorted((c.recipient_id, c.period) for c in claimed) == sorted(pairs)
        other = db.session.scalar(
            select(Delivery).where(
                Delivery.recipient_id == world["tokyo"], Delivery.period == "2026-11-24"
            )
        )
        assert (other.status, other.claimed_by, other.attempts) == (
            DeliveryStatus.RETRYING,
            None,
            1,
        )


def test_handled_pairs_answers_for_ten_thousand_people_in_one_statement(app, world):
    """A run plans for everyone at once; 10,000 (person, day) pairs once overflowed PostgreSQL's
    stack depth as a row-value IN list. Only the asked-for pairs come back."""
    mark_sent(app, world["tokyo"], "2026-11-25")
    mark_sent(app, world["london"], "2026-11-24")  # sent, but for another day than asked
    pairs = [(world["tokyo"], "2026-11-25"), (world["london"], "2026-11-25")]
    pairs += [(1_000_000 + n, "2026-11-25" if n % 2 else "2026-11-24") for n in range(10_000)]
    with app.app_context():
        done = handled_pairs(db.session, EmailKind.TASK_REMINDER, pairs, TOKYO_EIGHT)
        statements = count_statements(
            app, lambda: handled_pairs(db.session, EmailKind.TASK_REMINDER, pairs, TOKYO_EIGHT)
        )
    assert done == {(world["tokyo"], "2026-11-25")}
    assert statements == 1
