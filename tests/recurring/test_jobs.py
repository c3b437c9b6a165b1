"""Recurring jobs on the real database: each occurrence once, missed ones made, cleanup."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.recurring import service as series_rules
from app.recurring.jobs import (
    cleanup_completed_recurring_instances,
    process_recurring_tasks,
    update_recurring_task_template,
)
from app.recurring.models import RecurringSeries
from app.recurring.occurrences import create_due
from app.tasklist.cleanup import archive_completed
from app.tasklist.models import Task, TaskPriority, TaskStatus

AHEAD = timedelta(hours=24)
# Monday 2 November 2026, 08:00 UTC = 09:00 in Berlin.
MONDAY_9_BERLIN = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def team(make):
    owner = make.user(email="olga@example.com", name="Olga", timezone="Europe/Berlin")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(owner, members=(bob,))
    return {"owner": owner, "bob": bob, "project": project}


def new_series(app, team, rule="FREQ=DAILY", starts_at=MONDAY_9_BERLIN, now=None, **fields):
    with app.app_context():
        owner = db.session.get(User, team["owner"])
        series = series_rules.create_series(
            db.session,
            project_id=team["project"],
            owner=owner,
            fields=series_rules.TemplateFields(
                title=fields.get("title", "Water the plants"),
                description=fields.get("description", "The ficus too"),
                priority=fields.get("priority", TaskPriority.HIGH),
                assignee_id=fields.get("assignee_id", team["bob"]),
                rule=rule,
                starts_at=starts_at,
            ),
            now=now or starts_at - timedelta(days=2),
        )
        db.session.commit()
        return series.id


def run_at(app, now, catch_up=100):
    with app.app_context():
        result = create_due(db.session, now, AHEAD, catch_up)
        db.session.commit()
        return result.created


def occurrences(app, series_id):
    with app.app_context():
        rows = db.session.execute(
            db.select(Task.title, Task.due_at, Task.assignee_id, Task.priority, Task.status)
            .where(Task.series_id == series_id)
            .order_by(Task.due_at)
        )
        return [tuple(row) for row in rows]


def test_each_occurrence_is_created_once_with_the_templates_values(app, team):
    series = new_series(app, team)
    created = run_at(app, MONDAY_9_BERLIN - timedelta(hours=23))
    assert len(created) == 1, "only Monday's falls within the next 24 hours"
    assert run_at(app, MONDAY_9_BERLIN - timedelta(hours=23)) == [], "beat fired the slot twice"
    assert run_at(app, MONDAY_9_BERLIN - timedelta(hours=20)) == []
    ((title, due, assignee, priority, status),) = occurrences(app, series)
    assert (title, due, assignee, priority, status) == (
        "Water the plants",
        MONDAY_9_BERLIN,
        team["bob"],
        TaskPriority.HIGH,
        TaskStatus.PENDING,
    )
    with app.app_context():
        task = db.session.get(Task, created[0])
        assert task.description == "The ficus too" and task.creator_id == team["owner"]


def test_occurrences_missed_while_beat_was_down_are_created_not_skipped(app, team):
    series = new_series(app, team)
    run_at(app, MONDAY_9_BERLIN - timedelta(hours=23))
    # Down from Monday to Friday noon: Tuesday to Friday were never made, Saturday is next.
    created = run_at(app, MONDAY_9_BERLIN + timedelta(days=4, hours=4))
    assert len(created) == 5
    dues = [due for _, due, *_ in occurrences(app, series)]
    assert dues == [MONDAY_9_BERLIN + timedelta(days=n) for n in range(6)]


def test_catch_up_is_bounded_per_run_and_the_next_run_continues(app, team):
    series = new_series(app, team, now=MONDAY_9_BERLIN - timedelta(days=1))
    with app.app_context():
        result = create_due(db.session, MONDAY_9_BERLIN + timedelta(days=9), AHEAD, catch_up=4)
        db.session.commit()
    assert len(result.created) == 4
    run_at(app, MONDAY_9_BERLIN + timedelta(days=9))
    assert len(occurrences(app, series)) == 11, "Monday to the next Thursday, 24 h ahead"


def test_two_runs_at_once_create_each_occurrence_once(app, team):
    series_ids = [new_series(app, team, title=f"Chore {n}") for n in range(5)]
    now = MONDAY_9_BERLIN + timedelta(days=3)
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def run() -> None:
        with app.app_context():
            session = Session(db.engine)
            barrier.wait()
            results.append(create_due(session, now, AHEAD, 100).created)
            session.commit()
            session.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(len(r) for r in results) == 5 * 5, "Monday to Friday for five series, once"
    for series in series_ids:
        dues = [due for _, due, *_ in occurrences(app, series)]
        assert len(dues) == len(set(dues)) == 5


def test_the_run_costs_the_same_queries_for_one_series_or_forty(app, team, count_queries):
    new_series(app, team)
    with count_queries() as one:
        run_at(app, MONDAY_9_BERLIN + timedelta(days=2))
    for n in range(40):
        new_series(app, team, title=f"Chore {n}")
    with count_queries() as forty:
        created = run_at(app, MONDAY_9_BERLIN + timedelta(days=2))
    assert len(created) == 40 * 4
    assert len(forty) == len(one) <= 5


def test_editing_the_template_changes_future_occurrences_only(app, team):
    series = new_series(app, team)
    run_at(app, MONDAY_9_BERLIN + timedelta(hours=1))  # Monday (past) and Tuesday (ahead)
    now = MONDAY_9_BERLIN + timedelta(hours=2)
    with app.app_context():
        row = db.session.get(RecurringSeries, series)
        fields = series_rules.template_with_changes(
            row, {"title": "Water the garden", "assignee_id": team["owner"]}
        )
        assert series_rules.update_template(db.session, row, fields, now) == 1
        db.session.commit()
    run_at(app, now + timedelta(days=1))
    history = occurrences(app, series)
    assert [(title, assignee) for title, _, assignee, *_ in history] == [
        ("Water the plants", team["bob"]),  # already due: history
        ("Water the garden", team["owner"]),  # made ahead, not started: follows
        ("Water the garden", team["owner"]),  # made after the edit
    ]


def test_a_new_rule_takes_over_from_now_without_creating_the_past(app, team):
    series = new_series(app, team)
    run_at(app, MONDAY_9_BERLIN - timedelta(hours=1))
    now = MONDAY_9_BERLIN + timedelta(days=2)  # Wednesday: Tuesday and Wednesday never made
    with app.app_context():
        row = db.session.get(RecurringSeries, series)
        fields = series_rules.template_with_changes(row, {"rule": "FREQ=WEEKLY;BYDAY=FR"})
        series_rules.update_template(db.session, row, fields, now)
        db.session.commit()
    run_at(app, now + timedelta(days=3))
    dues = [due for _, due, *_ in occurrences(app, series)]
    assert dues == [MONDAY_9_BERLIN, MONDAY_9_BERLIN + timedelta(days=4)]


def test_stopping_keeps_history_and_creates_nothing_more(app, team):
    series = new_series(app, team)
    run_at(app, MONDAY_9_BERLIN + timedelta(days=1))
    with app.app_context():
        series_rules.stop_series(db.session.get(RecurringSeries, series), utcnow())
        db.session.commit()
    assert run_at(app, MONDAY_9_BERLIN + timedelta(days=10)) == []
    assert len(occurrences(app, series)) == 3, "Monday to Wednesday (made a day ahead)"


def test_a_member_who_left_gets_no_more_occurrences(app, team):
    series = new_series(app, team)
    with app.app_context():
        from app.projects.models import ProjectMember

        db.session.execute(db.delete(ProjectMember).where(ProjectMember.user_id == team["bob"]))
        db.session.commit()
    run_at(app, MONDAY_9_BERLIN - timedelta(hours=1))
    assert [assignee for _, _, assignee, *_ in occurrences(app, series)] == [None]


def test_cleanup_archives_only_old_completed_occurrences(app, team, make):
    series = new_series(app, team)
    created = run_at(app, MONDAY_9_BERLIN + timedelta(days=1))
    plain = make.task(
        team["project"],
        team["owner"],
        status=TaskStatus.COMPLETED,
        completed_at=utcnow() - timedelta(days=20),
    )
    with app.app_context():
        db.session.execute(
            db.update(Task)
            .where(Task.id == created[0])
            .values(status=TaskStatus.COMPLETED, completed_at=utcnow() - timedelta(days=8))
        )
        db.session.commit()
        assert archive_completed(db.session, utcnow(), after_days=7, only_recurring=True) == 1
        db.session.commit()
    assert make.get(Task, created[0]).archived_at is not None
    assert make.get(Task, created[1]).archived_at is None, "still open"
    assert make.get(Task, plain).archived_at is None, "not part of a series"
    assert len(occurrences(app, series)) == 3, "archived, not deleted"


def test_the_jobs_run_in_a_real_worker(app, team, celery_worker):
    now = utcnow()
    series = new_series(app, team, starts_at=now + timedelta(hours=2), now=now)
    result = process_recurring_tasks.delay().get(timeout=30)
    assert result["created"] == 1
    assert process_recurring_tasks.delay().get(timeout=30)["created"] == 0
    changed = update_recurring_task_template.delay(series, {"title": "Feed the cat"}).get(
        timeout=30
    )
    assert changed == {"series_id": series, "updated_occurrences": 1}
    assert occurrences(app, series)[0][0] == "Feed the cat"
    bad = update_recurring_task_template.delay(series, {"rule": "FREQ=SECONDLY"})
    with pytest.raises(RuleViolation, match="at most hourly"):
        bad.get(timeout=30)
    assert cleanup_completed_recurring_instances.delay().get(timeout=30) == {"archived": 0}
