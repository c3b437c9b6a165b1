"""Days, weeks and ledger periods in words: "Mon 7 Dec 2026", "Mon 7 – Sun 13 Dec 2026"."""

from __future__ import annotations

import re
from datetime import date, datetime

from app.core.email.models import EmailKind
from app.core.timezones import format_local

# The ledger's period keys: a local day, an ISO week, or an activity email's first event.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_ACTIVITY = re.compile(r"^n(\d+)$")

DAILY_WORDS = {
    EmailKind.TASK_REMINDER: "Reminder for",
    EmailKind.OVERDUE_ALERT: "Overdue alert for",
    EmailKind.DAILY_REPORT: "Report for",
}


def day_words(day: date, with_year: bool = True) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if with_year else text


def day_range_words(first: date, last: date, with_year: bool = True) -> str:
    """'Mon 7 – Sun 13 Dec 2026', naming the month and year only where they change."""
    year = f" {last.year}" if with_year else ""
    if first.year != last.year:
        return f"{day_words(first)} – {day_words(last)}"
    if first.month != last.month:
        return f"{day_words(first, False)} – {day_words(last, False)}{year}"
    return f"{first:%a} {first.day} – {day_words(last, False)}{year}"


def activity_first_id(period: str) -> int | None:
    """The first notification id of an activity email's period ("n42"), else None."""
    match = _ACTIVITY.match(period)
    return int(match.group(1)) if match else None


def period_in_words(
    kind: EmailKind,
    period: str,
    timezone: str,
    first_event_at: datetime | None = None,
    events: int = 0,
) -> str:
    """What a ledger period means: the day or week a digest covers, or when an activity email's
    events began (in `timezone`); an unknown shape is shown as it is stored."""
    if _DAY.match(period):
        day = date.fromisoformat(period)
        return f"{DAILY_WORDS.get(kind, 'For')} {day_words(day)}"
    week = _WEEK.match(period)
    if week:
        year, number = int(week.group(1)), int(week.group(2))
        try:
            monday, sunday = (
                date.fromisocalendar(year, number, 1),
                date.fromisocalendar(year, number, 7),
            )
        except ValueError:
            return period
        return f"Week of {day_range_words(monday, sunday)}"
    if activity_first_id(period) is not None:
        count = f"{events} event{'' if events == 1 else 's'}" if events else "Events"
        if first_event_at is None:
            return f"{count} on a task (no longer kept)"
        return f"{count} from {format_local(first_event_at, timezone)}"
    return period
