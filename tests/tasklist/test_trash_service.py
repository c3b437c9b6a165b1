"""The Trash's service on the real database: events in the transaction, project deletes that
bring back exactly what they took, archiving by hand, and the purge job on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.comments.models import Comment
from app.core import events
from app.core.errors import RuleViolation
from app.core.events import TaskArchived, TaskDeleted, TaskRestored, TaskUnarchived
from app.extensions import db
from app.operations.models import TaskRun
from app.projects.models import Project
from app.recurring import service as series_rules
from app.recurring.occurrences import create_due
from app.tasklist import cleanup, trash
from app.tasklist.jobs import purge_trash, update_task_status
from app.tasklist.models import Task, TaskPriority, TaskStatus

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The Trash's and archive's events recorded during the test, other subscribers left out."""
    monkeypatch.setattr(events, "_subscribers", {})
    recorded: list[object] = []
    for kind in (TaskDeleted, TaskRestored, TaskArchived, TaskUnarchived):
        events.subscribe(kind, lambda session, event: recorded.append(event))
    return recorded


@pytest.fixture
def team(make):
    owner = make.user(email="olga@example.com", name="Olga")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(owner, members=(bob,))
    return {"owner": owner, "bob": bob, "project": project}


def test_delete_and_restore_record_their_events_with_who_did_it(app, make, team, heard):
    task_id = make.task(team["project"], team["owner"])
    with app.app_context():
        task = db.session.get(Task, task_id)
        trash.delete_task(db.session, task, actor_id=team["bob"], now=NOW)
        with pytest.raises(RuleViolation, match="already in the Trash"):
            trash.delete_task(db.session, task, actor_id=team["bob"], now=NOW)
        assert (task.deleted_at, task.deleted_by_id) == (NOW, team["bob"])
        trash.restore_task(db.session, task, actor_id=team["owner"])
        with pytest.raises(RuleViolation, match="not in the Trash"):
            trash.restore_task(db.session, task, actor_id=team["owner"])
        db.session.commit()
    assert heard == [
        TaskDeleted(task_id, team["project"], team["bob"]),
        TaskRestored(task_id, team["project"], team["owner"]),
    ]
    assert make.get(Task, task_id).deleted_at is None


def test_only_a_completed_task_is_archived_by_hand_and_both_ways_are_recorded(
    app, make, team, heard
):
    open_id = make.task(team["project"], team["owner"])
    done_id = make.task(team["project"], team["owner"], status=TaskStatus.COMPLETED)
    with app.app_context():
        with pytest.raises(RuleViolation, match="Only completed tasks"):
            cleanup.archive_task(
                db.session, db.session.get(Task, open_id), actor_id=team["bob"], now=NOW
            )
        done = db.session.get(Task, done_id)
        cleanup.archive_task(db.session, done, actor_id=team["bob"], now=NOW)
        assert done.archived_at == NOW
        cleanup.restore(db.session, done, actor_id=team["bob"])
        db.session.commit()
    assert heard == [
        TaskArchived(done_id, team["project"], team["bob"]),
        TaskUnarchived(done_id, team["project"], team["bob"]),
    ]


def test_a_project_restore_brings_back_its_tasks_but_not_one_trashed_before(app, make, team):
    kept = make.task(team["project"], team["owner"], title="Kept")
    trashed_before = make.task(team["project"], team["owner"], title="Trashed before")
    with app.app_context():
        trash.delete_task(
            db.session,
            db.session.get(Task, trashed_before),
            actor_id=team["bob"],
            now=NOW - timedelta(days=2),
        )
        project = db.session.get(Project, team["project"])
        assert trash.delete_project(db.session, project, actor_id=team["owner"], now=NOW) == 1
        db.session.commit()
    assert make.get(Task, kept).deleted_at == NOW, "tasks leave every list with the project"
    with app.app_context():
        assert trash.restore_project(db.session, db.session.get(Project, team["project"])) == 1
        db.session.commit()
    assert make.get(Task, kept).deleted_at is None
    assert make.get(Task, trashed_before).deleted_at == NOW - timedelta(days=2)
    assert make.get(Project, team["project"]).deleted_at is None


def trash_at(app, task_id: int, when: datetime, actor_id: int) -> None:
    with app.app_context():
        trash.delete_task(db.session, db.session.get(Task, task_id), actor_id=actor_id, now=when)
        db.session.commit()


def test_the_purge_job_deletes_what_outlived_the_retention_once_and_records_its_run(
    app, make, team
):
    old = make.task(team["project"], team["owner"], title="Old")
    young = make.task(team["project"], team["owner"], title="Young")
    alive = make.task(team["project"], team["owner"], title="Alive")
    trash_at(app, old, NOW - timedelta(days=30, seconds=1), team["owner"])
    trash_at(app, young, NOW - timedelta(days=29), team["owner"])
    gone_project = make.project(team["owner"], name="Gone")
    its_task = make.task(gone_project, team["owner"], title="In the gone project")
    with app.app_context():
        db.session.add(Comment(task_id=old, author_id=team["owner"], body="bye"))
        trash.delete_project(
            db.session,
            db.session.get(Project, gone_project),
            actor_id=team["owner"],
            now=NOW - timedelta(days=31),
        )
        db.session.commit()

    with time_machine.travel(NOW, tick=False):
        first = purge_trash.apply().get()
        again = purge_trash.apply().get()

    assert first == {"tasks": 2, "projects": 1}
    assert again == {"tasks": 0, "projects": 0}, "idempotent: a second run finds nothing"
    assert make.get(Task, old) is None and make.get(Task, its_task) is None
    assert make.get(Project, gone_project) is None
    assert make.get(Task, young) is not None and make.get(Task, alive) is not None
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # SQLite enforces no foreign keys here
            assert db.session.scalars(select(Comment).where(Comment.task_id == old)).all() == []
        summaries = db.session.scalars(
            select(TaskRun.summary).where(TaskRun.name == purge_trash.name)
        ).all()
    assert "purged 2 tasks, 1 projects" in summaries


def test_the_purge_counts_statements_not_rows(app, make, team, count_queries):
    for n in range(6):
        trash_at(
            app,
            make.task(team["project"], team["owner"]),
            NOW - timedelta(days=40 + n),
            team["bob"],
        )
    with app.app_context(), count_queries() as statements:
        purged = trash.purge_trash(db.session, NOW, 30)
        db.session.commit()
    assert purged.tasks == 6
    assert len([s for s in statements if s.lstrip().upper().startswith("DELETE")]) == 3


def daily_series(app, team, starts: datetime) -> int:
    with app.app_context():
        series = series_rules.create_series(
            db.session,
            project_id=team["project"],
            owner=db.session.get(User, team["owner"]),
            fields=series_rules.TemplateFields(
                title="Water the plants",
                description="",
                priority=TaskPriority.HIGH,
                assignee_id=team["bob"],
                rule="FREQ=DAILY",
                starts_at=starts,
            ),
            now=starts - timedelta(days=2),
        )
        db.session.commit()
        return series.id


def test_a_deleted_project_makes_no_occurrences_until_restored(app, make, team):
    starts = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    series_id = daily_series(app, team, starts)
    with app.app_context():
        project = db.session.get(Project, team["project"])
        trash.delete_project(db.session, project, actor_id=team["owner"], now=starts)
        db.session.commit()
        assert create_due(db.session, starts, timedelta(hours=24), 100).created == []
        trash.restore_project(db.session, project)
        db.session.commit()
        assert len(create_due(db.session, starts, timedelta(hours=24), 100).created) == 2
        db.session.commit()
        assert db.session.scalars(select(Task.id).where(Task.series_id == series_id)).all()


def test_a_deleted_occurrence_is_not_made_again_by_the_recurring_job(app, make, team):
    starts = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    series_id = daily_series(app, team, starts)
    with app.app_context():
        create_due(db.session, starts - timedelta(hours=23), timedelta(hours=24), 100)
        db.session.commit()
        occurrence = db.session.scalars(select(Task).where(Task.series_id == series_id)).one()
        trash.delete_task(db.session, occurrence, actor_id=team["bob"], now=starts)
        db.session.commit()
        # Later runs (and a run at the same moment again) make the next day's, never this one.
        create_due(db.session, starts - timedelta(hours=23), timedelta(hours=24), 100)
        create_due(db.session, starts + timedelta(hours=1), timedelta(hours=24), 100)
        db.session.commit()
        rows = db.session.execute(
            select(Task.occurrence_at, Task.deleted_at)
            .where(Task.series_id == series_id)
            .order_by(Task.occurrence_at)
        ).all()
    assert [(at, deleted is not None) for at, deleted in rows] == [
        (starts, True),
        (starts + timedelta(days=1), False),
    ]


def test_a_completion_queued_before_a_delete_leaves_the_deleted_task_alone(app, make, team):
    task_id = make.task(team["project"], team["owner"])
    trash_at(app, task_id, NOW, team["owner"])
    result = update_task_status.apply(args=(task_id, "completed")).get()
    assert result["missing"] is True
    assert make.get(Task, task_id).status == TaskStatus.PENDING
