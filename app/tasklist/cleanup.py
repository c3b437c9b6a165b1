"""Archiving old completed tasks, restoring them, and (only if an operator opts in) deleting."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from app.core import events
from app.core.database import DbSession, execute_dml
from app.core.errors import RuleViolation
from app.core.events import TaskArchived, TaskUnarchived
from app.tasklist.models import Task, TaskStatus, not_deleted
from app.tasklist.trash_rules import can_archive


def archive_completed(
    session: DbSession, now: datetime, after_days: int, only_recurring: bool = False
) -> int:
    """Archive tasks completed more than `after_days` ago, in one statement; returns how many.

    `only_recurring` limits it to occurrences of recurring tasks, which pile up faster."""
    cutoff = now - timedelta(days=after_days)
    conditions = [
        Task.status == TaskStatus.COMPLETED,
        Task.completed_at < cutoff,
        Task.archived_at.is_(None),
        not_deleted(),  # the Trash keeps a task as it was, so a restore brings it back unchanged
    ]
    if only_recurring:
        conditions.append(Task.series_id.is_not(None))
    result = execute_dml(
        session,
        update(Task)
        .where(*conditions)
        .values(archived_at=now, updated_at=now)
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


def delete_archived(session: DbSession, now: datetime, after_days: int | None) -> int:
    """Delete tasks archived more than `after_days` ago; nothing at all unless configured."""
    if not after_days:
        return 0
    cutoff = now - timedelta(days=after_days)
    result = execute_dml(
        session,
        delete(Task)
        .where(Task.archived_at.is_not(None), Task.archived_at < cutoff)
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


def archived_tasks(session: DbSession, project_id: int) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .where(Task.project_id == project_id, Task.archived_at.is_not(None), not_deleted())
            .options(joinedload(Task.assignee))
            .order_by(Task.archived_at.desc(), Task.id.desc())
        )
    )


def archive_task(session: DbSession, task: Task, *, actor_id: int, now: datetime) -> None:
    """Archive one task by hand (completed ones: see trash_rules.can_archive); records
    TaskArchived. The weekly cleanup archives in bulk instead, without an event per task."""
    if not can_archive(task):
        if task.archived_at is not None:
            raise RuleViolation(gettext("That task is already archived."))
        raise RuleViolation(gettext("Only completed tasks can be archived; complete it first."))
    task.archived_at = now
    events.record(session, TaskArchived(task.id, task.project_id, actor_id))


def restore(session: DbSession, task: Task, *, actor_id: int) -> None:
    """Bring an archived task back to the project's list; records TaskUnarchived."""
    if task.archived_at is None:
        raise RuleViolation(gettext("That task is not archived."))
    task.archived_at = None
    events.record(session, TaskUnarchived(task.id, task.project_id, actor_id))
