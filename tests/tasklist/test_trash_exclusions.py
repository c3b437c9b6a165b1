"""What a deleted task no longer does: remind, appear in a digest, an export or analytics
(archived tasks stay in analytics as completed history)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.analytics.models import AnalyticsScope
from app.analytics.queries import status_priority_counts
from app.core.email.models import EmailKind
from app.digests.queries import tasks_for_digest
from app.exports.models import Export, ExportFormat, ExportStatus
from app.exports.run import task_ids_query
from app.extensions import db
from app.reminders.models import TaskReminder
from app.reminders.service import claim_due
from app.tasklist import trash
from app.tasklist.models import Task, TaskStatus

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app, make):
    """Olga's project with a kept task, a deleted one and an archived completed one, all hers
    and all due tomorrow morning."""
    olga = make.user(email="olga@example.com")
    project = make.project(olga)
    due = NOW + timedelta(hours=20)
    kept = make.task(project, olga, title="Kept", assignee_id=olga, due_at=due)
    deleted = make.task(project, olga, title="Deleted", assignee_id=olga, due_at=due)
    archived = make.task(
        project,
        olga,
        title="Archived",
        assignee_id=olga,
        status=TaskStatus.COMPLETED,
        completed_at=NOW - timedelta(days=2),
        archived_at=NOW - timedelta(days=1),
    )
    with app.app_context():
        trash.delete_task(db.session, db.session.get(Task, deleted), actor_id=olga, now=NOW)
        db.session.commit()
    return {
        "olga": olga,
        "project": project,
        "kept": kept,
        "deleted": deleted,
        "archived": archived,
    }


def test_a_reminder_on_a_deleted_task_never_fires(app, world):
    with app.app_context():
        for task_id in (world["kept"], world["deleted"]):
            db.session.add(TaskReminder(task_id=task_id, user_id=world["olga"], remind_at=NOW))
        db.session.commit()
        fired = claim_due(db.session, NOW + timedelta(minutes=1))
        assert [reminder.task_id for reminder in fired] == [world["kept"]]
        db.session.rollback()


def test_a_digest_lists_neither_deleted_nor_archived_tasks(app, world):
    with app.app_context():
        listed = tasks_for_digest(db.session, EmailKind.TASK_REMINDER, [world["olga"]], NOW)
        assert [task.title for task in listed[world["olga"]]] == ["Kept"]


def test_an_export_leaves_deleted_tasks_out(app, world):
    with app.app_context():
        export = Export(
            user_id=world["olga"],
            project_id=world["project"],
            format=ExportFormat.CSV,
            filters={},
            status=ExportStatus.QUEUED,
            rows_written=0,
        )
        db.session.add(export)
        db.session.flush()
        query = task_ids_query(db.session, export)
        assert query is not None
        assert list(db.session.scalars(query)) == [world["kept"]]
        db.session.rollback()


def test_analytics_count_archived_tasks_as_done_and_deleted_ones_not_at_all(app, world):
    with app.app_context():
        counts = status_priority_counts(db.session, AnalyticsScope.PROJECT, world["project"])
    assert sorted(counts) == [("completed", "medium", 1), ("pending", "medium", 1)]
