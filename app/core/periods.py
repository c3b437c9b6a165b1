"""Days, weeks and ledger periods in words: "Mon 7 Dec 2026", "Mon 7 – Sun 13 Dec 2026", in the
current language (Babel's CLDR data: "Mo., 7. – So., 13. Dez. 2026")."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_interval, format_skeleton
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.core.email.models import EmailKind
from app.core.i18n import DEFAULT_LANGUAGE, current_language
from app.core.timezones import format_local

# The ledger's period keys: a local day, an ISO week, or an activity email's first event.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_ACTIVITY = re.compile(r"^n(\d+)$")

# Which email a day's period was for, as a whole sentence around the day.
DAILY_WORDS = {
    EmailKind.TASK_REMINDER: _l("Reminder for %(day)s"),
    EmailKind.OVERDUE_ALERT: _l("Overdue alert for %(day)s"),
    EmailKind.DAILY_REPORT: _l("Report for %(day)s"),
}
_FOR_DAY = _l("For %(day)s")


def _english() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def day_words(day: date, with_year: bool = True) -> str:
    """'Mon 7 Dec 2026' (or 'Mon 7 Dec'); 'Mo., 7. Dez. 2026' in German."""
    if _english():
        return format_date(day, "EEE d MMM y" if with_year else "EEE d MMM", locale="en")
    return format_skeleton("yMMMEd" if with_year else "MMMEd", day, locale=current_language())


def day_range_words(first: date, last: date, with_year: bool = True) -> str:
    """'Mon 7 – Sun 13 Dec 2026', naming the month and year only where they change."""
    if not _english():
        skeleton = "yMMMEd" if with_year else "MMMEd"
        return format_interval(first, last, skeleton, locale=current_language())
    year = f" {last.year}" if with_year else ""
    if first.year != last.year:
        return f"{day_words(first)} – {day_words(last)}"
    if first.month != last.month:
        return f"{day_words(first, False)} – {day_words(last, False)}{year}"
    weekday = format_date(first, "EEE", locale="en")
    return f"{weekday} {first.day} – {day_words(last, False)}{year}"


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
        return str(DAILY_WORDS.get(kind, _FOR_DAY)) % {"day": day_words(day)}
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
        return gettext("Week of %(days)s", days=day_range_words(monday, sunday))
    if activity_first_id(period) is not None:
        if first_event_at is None:
            if events:
                return ngettext(
                    "%(num)d event on a task (no longer kept)",
                    "%(num)d events on a task (no longer kept)",
                    events,
                )
            return gettext("Events on a task (no longer kept)")
        when = format_local(first_event_at, timezone)
        if events:
            return ngettext(
                "%(num)d event from %(when)s", "%(num)d events from %(when)s", events, when=when
            )
        return gettext("Events from %(when)s", when=when)
    return period
