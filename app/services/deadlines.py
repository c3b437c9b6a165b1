"""What is overdue, what is due soon: pure rules over tasks, a moment and a zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from app.services.timezones import to_local

DUE_SOON_WINDOW = timedelta(hours=24)


class Dated(Protocol):
    @property
    def due_at(self) -> datetime | None: ...

    @property
    def is_open(self) -> bool: ...


@dataclass
class DeadlineBuckets:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    later_this_week: list = field(default_factory=list)


def end_of_local_week(now: datetime, timezone_name: str) -> datetime:
    """The first instant of next Monday in the person's zone: weeks end on Sunday night."""
    local = to_local(now, timezone_name)
    days_to_monday = 7 - local.weekday()
    next_monday = (local + timedelta(days=days_to_monday)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # Rebuild from the wall clock so a daylight-saving change during the week is respected.
    return next_monday.replace(tzinfo=local.tzinfo)


def is_overdue(task: Dated, now: datetime) -> bool:
    return task.is_open and task.due_at is not None and task.due_at < now


def is_due_soon(task: Dated, now: datetime) -> bool:
    return task.is_open and task.due_at is not None and now <= task.due_at < now + DUE_SOON_WINDOW


def bucket_by_deadline(
    tasks: Iterable[Dated], now: datetime, timezone_name: str
) -> DeadlineBuckets:
    """Sort open tasks into overdue, due within 24 hours, and due later this (local) week."""
    week_end = end_of_local_week(now, timezone_name)
    buckets = DeadlineBuckets()
    for task in sorted(tasks, key=lambda t: (t.due_at is None, t.due_at)):
        if is_overdue(task, now):
            buckets.overdue.append(task)
        elif is_due_soon(task, now):
            buckets.due_soon.append(task)
        elif task.is_open and task.due_at is not None and task.due_at < week_end:
            buckets.later_this_week.append(task)
    return buckets
