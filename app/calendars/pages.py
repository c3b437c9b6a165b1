"""What a calendar page shows: the period from the URL, its tasks bucketed by the viewer's day,
and the links to the previous, next and current month or week."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_interval

from app.calendars.queries import CalendarTask
from app.calendars.rules import (
    Period,
    local_day,
    month_period,
    next_month,
    parse_day,
    parse_month,
    previous_month,
    shifted_day,
    today_in,
    week_period,
)
from app.core.i18n import (
    DEFAULT_LANGUAGE,
    current_language,
    format_month,
    format_short_day,
    format_time,
    format_weekday,
)
from app.core.timezones import to_local
from app.tasklist.deadlines import is_overdue

MONTH, WEEK = "month", "week"


@dataclass(frozen=True)
class DayTask:
    """A task on a calendar day, with what the page marks: its local time, overdue, done."""

    task: CalendarTask
    time: str
    overdue: bool


@dataclass(frozen=True)
class CalendarPage:
    kind: str  # MONTH or WEEK
    period: Period
    today: date
    heading: str
    tasks_by_day: dict[date, list[DayTask]]
    previous_url: str
    next_url: str
    today_url: str
    month_url: str
    week_url: str

    @property
    def is_empty(self) -> bool:
        return not any(self.tasks_by_day.values())

    def tasks_on(self, day: date) -> list[DayTask]:
        return self.tasks_by_day.get(day, [])

    def label(self, day: date) -> DayLabel:
        return day_label(day)

    def in_focus(self, day: date) -> bool:
        """Whether the day belongs to the month shown (a month grid pads whole weeks)."""
        return self.kind == WEEK or day.month == self.period.focus.month


def requested_period(kind: str, value: str | None, today: date) -> tuple[Period, bool]:
    """The month (?month=YYYY-MM) or week (?week=YYYY-MM-DD, any day of it) asked for, or the
    current one; and whether the value given was unreadable."""
    if kind == MONTH:
        month = parse_month(value)
        return month_period(month or today), bool(value) and month is None
    day = parse_day(value)
    return week_period(day or today), bool(value) and day is None


def bucket_by_day(
    tasks: Sequence[CalendarTask], timezone_name: str, now: datetime
) -> dict[date, list[DayTask]]:
    """Each task on the day its due moment falls on in the viewer's zone, by time."""
    days: dict[date, list[DayTask]] = {}
    for task in tasks:
        day = local_day(task.due_at, timezone_name)
        time_text = format_time(to_local(task.due_at, timezone_name))
        days.setdefault(day, []).append(DayTask(task, time_text, is_overdue(task, now)))
    return days


def calendar_page(
    kind: str,
    period: Period,
    tasks: Sequence[CalendarTask],
    timezone_name: str,
    now: datetime,
    url: Callable[[str, str], str],
) -> CalendarPage:
    """The page; `url(kind, value)` links to the month ('2026-12') or week ('2026-12-07')."""
    today = today_in(timezone_name, now)
    focus = period.focus
    if kind == MONTH:
        heading = format_month(focus)
        previous_url = url(MONTH, previous_month(focus).strftime("%Y-%m"))
        next_url = url(MONTH, next_month(focus).strftime("%Y-%m"))
        today_url = url(MONTH, today.strftime("%Y-%m"))
        in_month = today if (today.year, today.month) == (focus.year, focus.month) else focus
        week_url, month_url = url(WEEK, in_month.isoformat()), url(MONTH, focus.strftime("%Y-%m"))
    else:
        heading = week_heading(period)
        previous_url = url(WEEK, shifted_day(focus, -7).isoformat())
        next_url = url(WEEK, shifted_day(focus, 7).isoformat())
        today_url = url(WEEK, today.isoformat())
        week_url = url(WEEK, focus.isoformat())
        # The month the week mostly lies in: its Thursday's (as ISO weeks count).
        month_url = url(MONTH, shifted_day(focus, 3).strftime("%Y-%m"))
    return CalendarPage(
        kind,
        period,
        today,
        heading,
        bucket_by_day(tasks, timezone_name, now),
        previous_url,
        next_url,
        today_url,
        month_url,
        week_url,
    )


def week_heading(period: Period) -> str:
    """'7 – 13 Dec 2026', '28 Dec 2026 – 3 Jan 2027' in Tickler's English; CLDR's date
    interval in other languages ('7.–13. Dez. 2026', '2026年12月7日～13日')."""
    first, last = period.first, period.last
    code = current_language()
    if code != DEFAULT_LANGUAGE:
        return format_interval(first, last, "yMMMd", locale=code)
    full = format_date(last, "d MMM y", locale=code)
    if first.year != last.year:
        return f"{format_date(first, 'd MMM y', locale=code)} – {full}"
    if first.month != last.month:
        return f"{format_date(first, 'd MMM', locale=code)} – {full}"
    return f"{first.day} – {full}"


@dataclass(frozen=True)
class DayLabel:
    """A calendar day's heading in parts, so a wide month grid can show only the number:
    'Mon', '', '7', ' Dec' in English; '月', '12月', '7', '日' in Japanese."""

    weekday: str
    before: str
    number: str
    after: str


def day_label(day: date) -> DayLabel:
    """The day without its year in the current language, split around its number."""
    text = format_short_day(day)
    number = str(day.day)
    matches = list(re.finditer(rf"(?<!\d){number}(?!\d)", text))
    if not matches:
        return DayLabel(format_weekday(day), "", text, "")
    found = matches[-1]
    return DayLabel(format_weekday(day), text[: found.start()], number, text[found.end() :])
