"""Analytics numbers, pure: weeks in a person's zone, completions, open vs overdue, medians."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple

from babel.numbers import format_decimal, format_percent
from flask_babel import gettext, ngettext

from app.core.i18n import DEFAULT_LANGUAGE, current_language
from app.core.timezones import zone
from app.tasklist.models import TaskPriority, TaskStatus

WEEKS = 12
# The labels an analytics page charts: the ones with most open tasks.
LABELS_SHOWN = 12


class TaskFacts(NamedTuple):
    """The three moments of a task the numbers need; nothing else is loaded."""

    created_at: datetime
    completed_at: datetime | None
    due_at: datetime | None


def week_starts(now: datetime, timezone_name: str, weeks: int = WEEKS) -> list[datetime]:
    """Local Mondays at 00:00 starting the last `weeks` weeks, the current week last, in UTC.

    Built from local dates, so a week holding a daylight-saving change is 167 or 169 hours."""
    tz = zone(timezone_name)
    monday = now.astimezone(tz).date()
    monday -= timedelta(days=monday.weekday())
    days = [monday - timedelta(weeks=back) for back in reversed(range(weeks))]
    return [datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) for day in days]


def week_ends(starts: list[datetime], now: datetime) -> list[datetime]:
    """Where each week's point is read: the next Monday, and `now` for the week under way."""
    return [*starts[1:], now]


def open_by_label(
    label_counts: Iterable[tuple[str, int, int]], limit: int = LABELS_SHOWN
) -> list[dict[str, Any]]:
    """The labels with most open tasks first (then by name), at most `limit`; each with its open
    and total counts. Same-named labels of different projects count as one (a person's tasks
    span projects, and "bug" means the same thing in each)."""
    merged: dict[str, list[int]] = {}
    for name, open_count, total in label_counts:
        key = name.casefold()
        entry = merged.setdefault(key, [0, 0])
        entry[0] += open_count
        entry[1] += total
    names: dict[str, str] = {}
    for name, _, _ in sorted(label_counts):
        names.setdefault(name.casefold(), name)
    ranked = sorted(merged.items(), key=lambda item: (-item[1][0], item[0]))
    return [
        {"name": names[key], "open": open_count, "total": total}
        for key, (open_count, total) in ranked[:limit]
    ]


def compute_analytics(
    facts: Iterable[TaskFacts],
    counts: Iterable[tuple[str, str, int]],
    now: datetime,
    timezone_name: str,
    weeks: int = WEEKS,
    label_counts: Iterable[tuple[str, int, int]] = (),
) -> dict[str, Any]:
    """Every number of an analytics page, as JSON-ready data.

    `facts` may stream (one pass); tasks completed before the window may be left out of it.
    `counts` are (status, priority, number) over all the scope's tasks, archived included.
    Weekly points are read at each week's end; completions count in the week they fall in."""
    starts = week_starts(now, timezone_name, weeks)
    ends = week_ends(starts, now)
    window_start = starts[0]
    completed = [0] * weeks
    open_points = [0] * weeks
    overdue_points = [0] * weeks
    durations: list[float] = []
    on_time = with_due = 0
    for task in facts:
        done = task.completed_at
        if done is not None and window_start <= done <= now:
            completed[_week_index(starts, done)] += 1
            durations.append(max(0.0, (done - task.created_at).total_seconds()))
            if task.due_at is not None:
                with_due += 1
                on_time += done <= task.due_at
        for index, at in enumerate(ends):
            if task.created_at <= at and (done is None or done > at):
                open_points[index] += 1
                if task.due_at is not None and task.due_at < at:
                    overdue_points[index] += 1
    by_status = {status.value: 0 for status in TaskStatus}
    by_priority = {priority.value: 0 for priority in TaskPriority}
    for status, priority, number in counts:
        by_status[status] = by_status.get(status, 0) + number
        by_priority[priority] = by_priority.get(priority, 0) + number
    local = zone(timezone_name)
    return {
        "timezone": timezone_name,
        "weeks": [start.astimezone(local).date().isoformat() for start in starts],
        "completed_per_week": completed,
        "open": open_points,
        "overdue": overdue_points,
        "by_status": by_status,
        "by_priority": by_priority,
        "total": sum(by_status.values()),
        "completed_in_window": len(durations),
        "median_completion_seconds": statistics.median(durations) if durations else None,
        "on_time": on_time,
        "with_due": with_due,
        "on_time_rate": on_time / with_due if with_due else None,
        "by_label": open_by_label(list(label_counts)),
    }


def _week_index(starts: list[datetime], moment: datetime) -> int:
    index = 0
    for position, start in enumerate(starts):
        if moment >= start:
            index = position
    return index


def format_duration(seconds: float | None) -> str:
    """'45 minutes', '5.5 hours', '3.2 days': the unit a person reads at a glance."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if seconds < 48 * 3600:
        return gettext("%(num)s hours", num=_one_decimal(seconds / 3600))
    return gettext("%(num)s days", num=_one_decimal(seconds / 86400))


def _one_decimal(value: float) -> str:
    """5.5 as '5.5' ('5,5' in German), 7.0 as '7'."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=_number_locale())


def _number_locale() -> str:
    code = current_language()
    return "en_GB" if code == DEFAULT_LANGUAGE else code


def format_rate(rate: float | None) -> str:
    """'60%' ('60 %' in German and French)."""
    return "—" if rate is None else format_percent(rate, locale=_number_locale())


def age_in_words(computed_at: datetime, now: datetime) -> str:
    """'just now', '1 minute ago', '14 minutes ago', '3 hours ago'."""
    minutes = max(0, int((now - computed_at).total_seconds() // 60))
    if minutes < 1:
        return gettext("just now")
    if minutes < 120:
        return ngettext("%(num)d minute ago", "%(num)d minutes ago", minutes)
    return ngettext("%(num)d hour ago", "%(num)d hours ago", minutes // 60)
