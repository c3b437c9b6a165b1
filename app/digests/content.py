"""What each digest says to one person: pure functions over their tasks, a moment and a zone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext, ngettext

from app.checklists.queries import ChecklistProgress
from app.core.email.models import EmailKind
from app.core.i18n import format_number
from app.core.timezones import format_local, to_local
from app.labels.queries import LabelView
from app.tasklist.deadlines import is_due_soon, is_overdue, local_week
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.tasklist.service import PRIORITY_RANK

WEEK = timedelta(days=7)
# Rows an email lists before "and N more": 500-task emails stay far below Gmail's 102 KB clip
# (tests/digests/test_size.py: 1,000 tasks with the longest titles, 46 KB of HTML at most).
DEFAULT_MAX_ROWS = 25


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
class Listing:
    """A section of a digest: the most urgent tasks shown, and how many more it leaves out."""

    tasks: list[TaskLine]
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.tasks) + self.more


@dataclass(frozen=True)
class Digest:
    kind: EmailKind
    subject: str
    context: dict[str, Any] = field(default_factory=dict)
    task_ids: tuple[int, ...] = ()


def listed_lines(digest: Digest) -> list[TaskLine]:
    """Every task row the digest shows, in every section, each once."""
    lines: dict[int, TaskLine] = {}
    for value in digest.context.values():
        rows = value.tasks if isinstance(value, Listing) else value
        if isinstance(rows, list):
            lines.update((row.id, row) for row in rows if isinstance(row, TaskLine))
    return list(lines.values())


def with_task_extras(
    digest: Digest,
    labels: Mapping[int, list[LabelView]],
    progress: Mapping[int, ChecklistProgress],
) -> Digest:
    """The digest with its listed tasks' labels and checklist progress, for the rows to show
    (read once for a whole chunk of digests, so each email costs no statement)."""
    ids = digest.task_ids
    extras = {
        "task_labels": {i: labels[i] for i in ids if i in labels},
        "task_progress": {i: progress[i] for i in ids if i in progress},
    }
    return replace(digest, context={**digest.context, **extras})


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


def by_urgency(task: Task) -> tuple[int, datetime, int]:
    """The most urgent first: by priority, then the latest (or the soonest due), then by id."""
    return (PRIORITY_RANK[task.priority], _due_first(task), task.id)


def _recently_completed_first(task: Task) -> tuple[float, int]:
    done = task.completed_at or datetime.min.replace(tzinfo=UTC)
    return (-done.timestamp(), task.id)


def share_rows(sizes: Sequence[int], budget: int) -> list[int]:
    """How many rows each section may show within `budget`: a section with fewer rows than its
    fair share shows them all and leaves the rest to the others (one at a time, in turn)."""
    given = [0] * len(sizes)
    while budget > 0 and any(g < size for g, size in zip(given, sizes, strict=True)):
        for index, size in enumerate(sizes):
            if budget > 0 and given[index] < size:
                given[index] += 1
                budget -= 1
    return given


def capped(ordered: Sequence[Task], limit: int, now: datetime, timezone: str) -> Listing:
    """The first `limit` tasks as lines, and how many more there are."""
    shown = [task_line(t, now, timezone) for t in ordered[:limit]]
    return Listing(shown, len(ordered) - len(shown))


def _listing(
    kind: EmailKind,
    subject: str,
    tasks: list[Task],
    now: datetime,
    timezone: str,
    max_rows: int,
) -> Digest:
    listing = capped(sorted(tasks, key=by_urgency), max_rows, now, timezone)
    return Digest(
        kind,
        subject,
        {"tasks": listing.tasks, "more": listing.more},
        tuple(line.id for line in listing.tasks),
    )


def reminder_digest(
    tasks: Sequence[Task], now: datetime, timezone: str, max_rows: int = DEFAULT_MAX_ROWS
) -> Digest | None:
    due = [t for t in tasks if is_due_soon(t, now)]
    if not due:
        return None
    # One task: its name says more in an inbox than "1 task".
    subject = (
        gettext("“%(title)s” is due in the next 24 hours", title=due[0].title)
        if len(due) == 1
        else ngettext(
            "%(num)d task due in the next 24 hours",
            "%(num)d tasks due in the next 24 hours",
            len(due),
        )
    )
    return _listing(EmailKind.TASK_REMINDER, subject, due, now, timezone, max_rows)


def overdue_digest(
    tasks: Sequence[Task], now: datetime, timezone: str, max_rows: int = DEFAULT_MAX_ROWS
) -> Digest | None:
    late = [t for t in tasks if is_overdue(t, now)]
    if not late:
        return None
    subject = (
        gettext("“%(title)s” is overdue", title=late[0].title)
        if len(late) == 1
        else ngettext(
            "%(num)d overdue task needs attention",
            "%(num)d overdue tasks need attention",
            len(late),
        )
    )
    return _listing(EmailKind.OVERDUE_ALERT, subject, late, now, timezone, max_rows)


def weekly_tiles(overdue: Sequence[Task], upcoming: Sequence[Task], completed: int) -> dict:
    """The summary's tiles, each task counted once, so they add up to the tasks it is about:
    overdue whatever its status; the rest of the week's open tasks by status; completed."""
    statuses = Counter(t.status for t in upcoming)
    tiles = {
        "overdue": len(overdue),
        "pending": statuses[TaskStatus.PENDING],
        "in_progress": statuses[TaskStatus.IN_PROGRESS],
        "blocked": statuses[TaskStatus.BLOCKED],
        "completed": completed,
    }
    return {**tiles, "total": sum(tiles.values())}


def weekly_digest(
    tasks: Sequence[Task], now: datetime, timezone: str, max_rows: int = DEFAULT_MAX_ROWS
) -> Digest | None:
    if not tasks:
        return None
    completed = sorted(
        (
            t
            for t in tasks
            if t.completed_at is not None and t.completed_at >= now - WEEK and not t.is_open
        ),
        key=_recently_completed_first,
    )
    overdue = sorted((t for t in tasks if is_overdue(t, now)), key=by_urgency)
    week = local_week(now, timezone)
    upcoming = sorted(
        (t for t in tasks if t.is_open and t.due_at is not None and now <= t.due_at < week.end),
        key=by_urgency,
    )
    stats = weekly_tiles(overdue, upcoming, len(completed))
    subject = ngettext(
        "Your week: %(num)d task due, %(overdue)s overdue, %(completed)s completed",
        "Your week: %(num)d tasks due, %(overdue)s overdue, %(completed)s completed",
        len(upcoming),
        overdue=format_number(stats["overdue"]),
        completed=format_number(stats["completed"]),
    )
    sections = (overdue, upcoming, completed)
    limits = share_rows([len(section) for section in sections], max_rows)
    late, due, done = (
        capped(section, limit, now, timezone)
        for section, limit in zip(sections, limits, strict=True)
    )
    return Digest(
        EmailKind.WEEKLY_SUMMARY,
        subject,
        {"stats": stats, "overdue": late, "upcoming": due, "completed": done, "week": week.words},
        tuple(dict.fromkeys(line.id for listing in (late, due, done) for line in listing.tasks)),
    )


def status_label(value: str) -> str:
    """A status value of the stored report ('in_progress') as the reader's language says it."""
    try:
        return TaskStatus(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def priority_label(value: str) -> str:
    try:
        return TaskPriority(value).label
    except ValueError:
        return value.capitalize()


def report_digest(report: dict[str, Any], period: str) -> Digest:
    return Digest(
        EmailKind.DAILY_REPORT,
        gettext(
            "Daily task report for %(period)s: %(open)s open, %(overdue)s overdue",
            period=period,
            open=format_number(report["open"]),
            overdue=format_number(report["overdue"]),
        ),
        {
            "report": report,
            "period": period,
            "status_label": status_label,
            "priority_label": priority_label,
        },
    )


BUILDERS = {
    EmailKind.TASK_REMINDER: reminder_digest,
    EmailKind.OVERDUE_ALERT: overdue_digest,
    EmailKind.WEEKLY_SUMMARY: weekly_digest,
}


def build_digest(
    kind: EmailKind,
    tasks: Sequence[Task],
    now: datetime,
    timezone: str,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Digest | None:
    """The digest of `kind` for one person, or None when there is nothing to say; it lists at
    most `max_rows` tasks, the most urgent, and counts the rest ("and N more")."""
    return BUILDERS[kind](tasks, now, timezone, max_rows)
