"""What each digest says to one person: pure functions over their tasks, a moment and a zone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.email.models import EmailKind
from app.core.timezones import format_local, to_local
from app.tasklist.deadlines import is_due_soon, is_overdue, local_week
from app.tasklist.models import Task, TaskStatus

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class TaskLine:
    """One task as an email lists it, with times already in the reader's zone."""

    id: int
    title: str
    project: str
    due: str
    priority: str
    priority_value: str
    status: str
    days_overdue: int = 0


@dataclass(frozen=True)
class Digest:
    kind: EmailKind
    subject: str
    context: dict[str, Any] = field(default_factory=dict)
    task_ids: tuple[int, ...] = ()


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural_word or word + 's')}"


def task_line(task: Task, now: datetime, timezone: str) -> TaskLine:
    days = 0
    if task.due_at is not None and task.due_at < now:
        days = (to_local(now, timezone).date() - to_local(task.due_at, timezone).date()).days
    return TaskLine(
        id=task.id,
        title=task.title,
        project=task.project.name,
        due=format_local(task.due_at, timezone),
        priority=task.priority.label,
        priority_value=task.priority.value,
        status=task.status.label,
        days_overdue=days,
    )


def _due_first(task: Task) -> datetime:
    # The tasks listed are due soon, overdue or upcoming, so each has a due date.
    return task.due_at or datetime.max.replace(tzinfo=UTC)


def _listing(
    kind: EmailKind, subject: str, tasks: list[Task], now: datetime, timezone: str
) -> Digest:
    ordered = sorted(tasks, key=_due_first)
    return Digest(
        kind,
        subject,
        {"tasks": [task_line(t, now, timezone) for t in ordered]},
        tuple(t.id for t in ordered),
    )


def reminder_digest(tasks: Sequence[Task], now: datetime, timezone: str) -> Digest | None:
    due = [t for t in tasks if is_due_soon(t, now)]
    if not due:
        return None
    # One task: its name says more in an inbox than "1 task".
    subject = (
        f"“{due[0].title}” is due in the next 24 hours"
        if len(due) == 1
        else f"{plural(len(due), 'task')} due in the next 24 hours"
    )
    return _listing(EmailKind.TASK_REMINDER, subject, due, now, timezone)


def overdue_digest(tasks: Sequence[Task], now: datetime, timezone: str) -> Digest | None:
    late = [t for t in tasks if is_overdue(t, now)]
    if not late:
        return None
    subject = (
        f"“{late[0].title}” is overdue"
        if len(late) == 1
        else f"{plural(len(late), 'overdue task')} need attention"
    )
    return _listing(EmailKind.OVERDUE_ALERT, subject, late, now, timezone)


def weekly_digest(tasks: Sequence[Task], now: datetime, timezone: str) -> Digest | None:
    if not tasks:
        return None
    counts = Counter(t.status for t in tasks if t.status != TaskStatus.COMPLETED)
    completed = [
        t
        for t in tasks
        if t.completed_at is not None and t.completed_at >= now - WEEK and not t.is_open
    ]
    overdue = [t for t in tasks if is_overdue(t, now)]
    week = local_week(now, timezone)
    upcoming = [
        t for t in tasks if t.is_open and t.due_at is not None and now <= t.due_at < week.end
    ]
    by_due = sorted(upcoming, key=_due_first)
    stats = {
        "pending": counts[TaskStatus.PENDING],
        "in_progress": counts[TaskStatus.IN_PROGRESS],
        "blocked": counts[TaskStatus.BLOCKED],
        "completed": len(completed),
        "overdue": len(overdue),
    }
    subject = (
        f"Your week: {plural(len(upcoming), 'task')} due, {stats['overdue']} overdue, "
        f"{stats['completed']} completed"
    )
    listed = [*overdue, *by_due, *completed]
    return Digest(
        EmailKind.WEEKLY_SUMMARY,
        subject,
        {
            "stats": stats,
            "overdue": [task_line(t, now, timezone) for t in sorted(overdue, key=_due_first)],
            "upcoming": [task_line(t, now, timezone) for t in by_due],
            "completed": [task_line(t, now, timezone) for t in completed],
            "week": week.words,
        },
        tuple(dict.fromkeys(t.id for t in listed)),
    )


def report_digest(report: dict[str, Any], period: str) -> Digest:
    return Digest(
        EmailKind.DAILY_REPORT,
        f"Daily task report for {period}: {report['open']} open, {report['overdue']} overdue",
        {"report": report, "period": period},
    )


BUILDERS = {
    EmailKind.TASK_REMINDER: reminder_digest,
    EmailKind.OVERDUE_ALERT: overdue_digest,
    EmailKind.WEEKLY_SUMMARY: weekly_digest,
}


def build_digest(
    kind: EmailKind, tasks: Sequence[Task], now: datetime, timezone: str
) -> Digest | None:
    """The digest of `kind` for one person, or None when there is nothing to say."""
    return BUILDERS[kind](tasks, now, timezone)
