"""Pure calendar rules: which days a month or week shows, which day a due moment lands on in a
zone, moving a task to another day at the same local time, feed tokens and sequence numbers."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.core.timezones import local_to_utc, to_local

# Weeks start on Monday (ISO 8601): Tickler keeps no locale per person, only a time zone, and
# Monday is the first day in most of the places its zones name.
FIRST_WEEKDAY = 0
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A feed token is 32 random bytes; only its SHA-256 is stored.
FEED_TOKEN_BYTES = 32
# The date range a calendar navigates: what a due date can be and a browser's date input offers.
EARLIEST = date(1900, 1, 1)
LATEST = date(9998, 12, 31)


@dataclass(frozen=True)
class Period:
    """The days a page shows: [first, last], with the month or week it is about."""

    first: date
    last: date
    focus: date  # the first day of the month, or the Monday of the week

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def weeks(self) -> list[list[date]]:
        days = self.days
        return [days[n : n + 7] for n in range(0, len(days), 7)]


def week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() - FIRST_WEEKDAY) % 7)


def month_period(first_of_month: date) -> Period:
    """Whole weeks covering the month: from the Monday on or before the 1st to the Sunday on
    or after its last day."""
    first_of_month = first_of_month.replace(day=1)
    following = next_month(first_of_month)
    last_of_month = following - timedelta(days=1)
    return Period(
        week_start(first_of_month), week_start(last_of_month) + timedelta(days=6), first_of_month
    )


def week_period(day: date) -> Period:
    monday = week_start(day)
    return Period(monday, monday + timedelta(days=6), monday)


def next_month(first_of_month: date) -> date:
    if first_of_month.month == 12:
        return date(first_of_month.year + 1, 1, 1)
    return date(first_of_month.year, first_of_month.month + 1, 1)


def previous_month(first_of_month: date) -> date:
    if first_of_month.month == 1:
        return date(first_of_month.year - 1, 12, 1)
    return date(first_of_month.year, first_of_month.month - 1, 1)


def parse_month(text: str | None) -> date | None:
    """'2026-12' as the 1st of that month; None for anything else."""
    match = MONTH_PATTERN.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not EARLIEST.year <= year <= LATEST.year:
        return None
    return date(year, month, 1)


def parse_day(text: str | None) -> date | None:
    """'2026-12-07' as a date within the range calendars navigate; None for anything else."""
    text = (text or "").strip()
    if not DATE_PATTERN.match(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def today_in(timezone_name: str, now: datetime) -> date:
    return to_local(now, timezone_name).date()


def utc_bounds(period: Period, timezone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants from the period's first local midnight to the midnight after its last
    day: the due dates that land on its days in that zone."""
    start = local_to_utc(datetime.combine(period.first, time()), timezone_name)
    end = local_to_utc(datetime.combine(period.last + timedelta(days=1), time()), timezone_name)
    return start, end


def local_day(moment: datetime, timezone_name: str) -> date:
    """The day a moment falls on for someone in `timezone_name`: 23:30 in New York is that
    New York day, though it is already the next day in UTC."""
    return to_local(moment, timezone_name).date()


def moved_due(due_at: datetime, new_day: date, timezone_name: str) -> datetime:
    """The due moment on `new_day` at the same local wall-clock time: 09:00 stays 09:00 across
    a daylight-saving change. In a gap or overlap, local_to_utc's earlier reading applies."""
    wall_clock = to_local(due_at, timezone_name).time().replace(tzinfo=None)
    return local_to_utc(datetime.combine(new_day, wall_clock), timezone_name)


def shifted_day(day: date, days: int) -> date:
    return day + timedelta(days=days)


def new_feed_token() -> str:
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


def feed_token_hash(token: str) -> str:
    """What is stored of a feed token: its SHA-256 (the token is random, so no salt or slow
    hash is needed; a leaked table gives no working URL)."""
    return hashlib.sha256(token.encode()).hexdigest()


def sequence_for(created_at: datetime, updated_at: datetime) -> int:
    """The event's SEQUENCE: whole seconds from the task's creation to its last edit. It grows
    with every later edit and never goes back (RFC 5545 forbids that), so a calendar app
    replaces the event rather than keeping two, without a counter column on tasks."""
    return max(0, int((_aware(updated_at) - _aware(created_at)).total_seconds()))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
