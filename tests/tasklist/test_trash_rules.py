"""The Trash's pure rules: days left before the purge, and which buttons a task offers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.tasklist.models import Task, TaskStatus
from app.tasklist.trash_rules import (
    can_archive,
    can_delete,
    can_reopen,
    days_left,
    purge_cutoff,
)

DELETED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "left"),
    [
        (DELETED, 30),
        (DELETED + timedelta(hours=1), 30),  # a day begun still counts until it ends
        (DELETED + timedelta(days=29), 1),
        (DELETED + timedelta(days=29, hours=23), 1),
        (DELETED + timedelta(days=30), 0),
        (DELETED + timedelta(days=45), 0),  # overdue for the purge: never negative
    ],
)
def test_days_left_count_whole_days_rounded_up_and_stop_at_zero(now, left):
    assert days_left(DELETED, now, retention_days=30) == left


def test_the_purge_takes_what_was_deleted_before_the_retention_window():
    assert purge_cutoff(DELETED, 30) == DELETED - timedelta(days=30)


def task(status=TaskStatus.PENDING, archived=False, deleted=False) -> Task:
    return Task(
        title="Ship it",
        status=status,
        archived_at=DELETED if archived else None,
        deleted_at=DELETED if deleted else None,
    )


@pytest.mark.parametrize(
    ("subject", "reopen", "archive", "delete"),
    [
        (task(), False, False, True),
        (task(TaskStatus.IN_PROGRESS), False, False, True),
        (task(TaskStatus.COMPLETED), True, True, True),
        (task(TaskStatus.COMPLETED, archived=True), False, False, True),
        (task(TaskStatus.COMPLETED, deleted=True), False, False, False),
    ],
)
def test_buttons_follow_the_tasks_state(subject, reopen, archive, delete):
    assert (can_reopen(subject), can_archive(subject), can_delete(subject)) == (
        reopen,
        archive,
        delete,
    )
