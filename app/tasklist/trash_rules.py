"""The Trash's rules, pure: how long a deleted thing stays, and which buttons a task offers."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask_babel import lazy_gettext

from app.tasklist.models import Task, TaskStatus

# Lazy: a 404's description, read in the language of whoever meets it.
TRASHED = lazy_gettext(
    "This task is in the Trash. Restore it from the project's Trash to work on it."
)


def purge_cutoff(now: datetime, retention_days: int) -> datetime:
    """Whatever went to the Trash before this moment is purged now."""
    return now - timedelta(days=retention_days)


def days_left(deleted_at: datetime, now: datetime, retention_days: int) -> int:
    """Whole days until the purge may take it, rounded up so "1 day left" lasts until the end;
    0 once it is due (the next purge run takes it)."""
    remaining = deleted_at + timedelta(days=retention_days) - now
    return max(0, math.ceil(remaining / timedelta(days=1)))


def can_reopen(task: Task) -> bool:
    """Reopen is offered on a completed task that is in the list (not archived, not deleted)."""
    return task.status == TaskStatus.COMPLETED and task.archived_at is None and not task.is_deleted


def can_archive(task: Task) -> bool:
    """Archive by hand is offered on completed tasks only: the archive is where finished work is
    kept (the weekly cleanup archives completed tasks too), and an open task archived would drop
    out of reminders and lists while still being work someone owes."""
    return task.status == TaskStatus.COMPLETED and task.archived_at is None and not task.is_deleted


def can_delete(task: Task) -> bool:
    """Any member may move a task to the Trash: every member can see who did and restore it."""
    return not task.is_deleted
