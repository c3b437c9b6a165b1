"""What is overdue, what is due soon: pure rules over tasks, a moment and a zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from babel.dates import format_datetime, format_interval, format_skeleton
from flask_babel import gettext

from app.core.i18n import DEFAULT_LANGUAGE, current_language
from app.core.periods import day_range_words
from app.core.timezones import to_local

DUE_SOON_WINDOW = timedelta(hours=24)
# A due date further back than this is a typo (1900 for 2026), not a late entry.
EARLIEST_DUE = timedelta(days=365)
LATEST_DUE_YEARS = 10


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


@dataclass(frozen=True)
class LocalWeek:
    """A person's calendar week, Monday to Sunday on their clock: what "this week" means on
    the dashboard and in the weekly summary alike."""

    first_day: date
    last_day: date
    start: datetime  # Monday 00:00, their zone
    end: datetime  # the next Monday 00:00, their zone

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def words(self) -> str:
        """'Mon 7 – Sun 13 Dec', 'Mo., 7. – So., 13. Dez.', '12月7日(月)～13日(日)': in the
        current language (CLDR's interval formats; Tickler's own English as it always was)."""
        code = current_language()
        if code == DEFAULT_LANGUAGE:
            return day_range_words(self.first_day, self.last_day, with_year=False)
        return format_interval(self.first_day, self.last_day, "MMMEd", locale=code)


def local_week(now: datetime, timezone_name: str) -> LocalWeek:
    """The Monday-to-Sunday week `now` falls in, on the person's clock."""
    local = to_local(now, timezone_name)
    monday = local.date() - timedelta(days=local.weekday())
    next_monday = monday + timedelta(days=7)
    # Built from the wall clock, so a daylight-saving change during the week is respected.
    return LocalWeek(
        monday,
        next_monday - timedelta(days=1),
        datetime.combine(monday, time(), tzinfo=local.tzinfo),
        datetime.combine(next_monday, time(), tzinfo=local.tzinfo),
    )


def end_of_local_week(now: datetime, timezone_name: str) -> datetime:
    """The first instant of next Monday in the person's zone: weeks end on Sunday night."""
    return local_week(now, timezone_name).end


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


def due_date_problem(due_at: datetime, now: datetime) -> str | None:
    """Why a due date is not believable, or None: more than a year ago, or over ten years out."""
    if due_at < now - EARLIEST_DUE:
        return gettext(
            "%(day)s is more than a year ago; check the year, or leave the due date empty.",
            day=_day_words(due_at),
        )
    if due_at.year > now.year + LATEST_DUE_YEARS:
        return gettext(
            "%(day)s is more than %(years)d years ahead; check the year.",
            day=_day_words(due_at),
            years=LATEST_DUE_YEARS,
        )
    return None


def _day_words(moment: datetime) -> str:
    """'01 Jan 1900' as Tickler's English writes it; '1. Jan. 1900', '1900年1月1日' elsewhere."""
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return format_datetime(moment, "dd MMM y", locale=code)
    return format_skeleton("yMMMd", moment, locale=code)
