"""Repeat rules (pure): build RFC 5545 RRULEs from simple choices, check them, list occurrences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, timedelta

from babel.lists import format_list
from dateutil.rrule import DAILY, HOURLY, WEEKLY, YEARLY, rrule, rrulestr, weekday
from flask_babel import gettext, lazy_gettext

from app.core.errors import RuleViolation
from app.core.i18n import DEFAULT_LANGUAGE, current_language, format_time, format_weekday
from app.core.timezones import local_to_utc, to_local
from app.recurring.models import RULE_MAX_LENGTH
from app.recurring.periods import skip_ahead

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A Monday: WEEKDAYS[i] falls on A_MONDAY + i days (for the weekday's name in CLDR).
A_MONDAY = date(2024, 1, 1)
FREQUENCIES = {
    "daily": lazy_gettext("Every day"),
    "weekdays": lazy_gettext("Every weekday (Monday to Friday)"),
    "weekly": lazy_gettext("Weekly, on chosen days"),
    "monthly": lazy_gettext("Monthly, on a day of the month"),
    "custom": lazy_gettext("Custom rule (RFC 5545 RRULE)"),
}
# Finer than hourly would flood a project with tasks; the job runs every five minutes anyway.
ALLOWED_FREQS = {"HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# The Gregorian calendar repeats exactly every 400 years (146,097 days, 20,871 weeks): every
# date, weekday, week number and leap day. A rule that gives nothing in 400 years never will.
CALENDAR_CYCLE_YEARS = 400
# A rule's first date must come this soon after its start (a chore ten years away is a typo),
# and the first due date itself this near to today, either way: the occurrence search cannot
# skip the periods of a COUNT rule, so an old start would cost every page that shows it.
FIRST_DATE_WITHIN_YEARS = 10
# COUNT is counted from the first date, so those rules walk every period from there (see
# periods.skip_ahead); a thousand occurrences is more than any chore needs. UNTIL has no limit.
MAX_COUNT = 1000


def build_rule(frequency: str, weekdays: list[str] | None = None, day_of_month: int = 1) -> str:
    """The RRULE for one of the simple choices; days 29-31 fall back to a short month's last day."""
    if frequency == "daily":
        return "FREQ=DAILY"
    if frequency == "weekdays":
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if frequency == "weekly":
        days = [day for day in WEEKDAYS if day in (weekdays or [])]
        if not days:
            raise RuleViolation(gettext("Choose at least one day of the week."))
        return "FREQ=WEEKLY;BYDAY=" + ",".join(days)
    if frequency == "monthly":
        if not 1 <= day_of_month <= 31:
            raise RuleViolation(gettext("Choose a day of the month from 1 to 31."))
        if day_of_month <= 28:
            return f"FREQ=MONTHLY;BYMONTHDAY={day_of_month}"
        # "The 31st" in April means the 30th: the latest of 28..N the month has.
        month_days = ",".join(str(day) for day in range(28, day_of_month + 1))
        return f"FREQ=MONTHLY;BYMONTHDAY={month_days};BYSETPOS=-1"
    raise RuleViolation(gettext("Choose how often the task repeats."))


def normalise_rule(text: str) -> str:
    """A custom rule as stored: no 'RRULE:' prefix, upper case, checked; RuleViolation if not."""
    rule = " ".join(text.split()).upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise RuleViolation(gettext("Enter a rule, e.g. FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2."))
    if len(rule) > RULE_MAX_LENGTH:
        raise RuleViolation(gettext("Keep the rule under %(num)d characters.", num=RULE_MAX_LENGTH))
    if "DTSTART" in rule or "\n" in text.strip():
        raise RuleViolation(
            gettext("Give only the RRULE part; the first due date is its own field.")
        )
    if "BYEASTER" in rule:
        # Easter does not follow the 400-year cycle the bounded search below relies on.
        raise RuleViolation(gettext("BYEASTER is not supported; give the dates another way."))
    start = datetime(2026, 1, 1, 9, 0)
    parsed = parse_rule(rule, start)
    if rule_parts(rule).get("FREQ") not in ALLOWED_FREQS:
        raise RuleViolation(gettext("Tasks can repeat at most hourly."))
    if (vars(parsed)["_count"] or 0) > MAX_COUNT:  # dateutil keeps COUNT only here
        raise RuleViolation(
            gettext(
                "Keep COUNT to %(num)d or fewer; give an end with UNTIL instead.", num=MAX_COUNT
            )
        )
    check_first_date(parsed, start)
    return rule


def check_start(starts_at: datetime, now: datetime) -> None:
    """RuleViolation unless the first due date is within FIRST_DATE_WITHIN_YEARS of now."""
    if (
        not add_years(now, -FIRST_DATE_WITHIN_YEARS)
        <= starts_at
        <= add_years(now, FIRST_DATE_WITHIN_YEARS)
    ):
        raise RuleViolation(
            gettext(
                "Choose a first due date within %(num)d years of today.",
                num=FIRST_DATE_WITHIN_YEARS,
            )
        )


def check_first_date(parsed: rrule, start: datetime) -> datetime:
    """The rule's first date, or RuleViolation if it has none soon enough (or none at all).

    dateutil alone walks up to the year 9999 looking for a date an impossible rule never gives
    (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30: 20 s of CPU in a request); this looks at most one
    calendar cycle past the start (see `bounded`)."""
    first = None if no_day_ever_matches(parsed, start) else next(iter(bounded(parsed, start)), None)
    if first is None:
        raise RuleViolation(
            gettext(
                "That rule never produces a date (e.g. a 30 February); check BYMONTH, "
                "BYMONTHDAY, BYDAY and BYSETPOS."
            )
        )
    first = shift_years(first, -cycles_to_shift(start) * CALENDAR_CYCLE_YEARS)
    if first > add_years(start, FIRST_DATE_WITHIN_YEARS):
        raise RuleViolation(
            gettext(
                "That rule's first date is %(date)s, more than %(num)d years away; check the rule.",
                date=first.strftime("%Y-%m-%d"),
                num=FIRST_DATE_WITHIN_YEARS,
            )
        )
    return first


# Weekly, daily and hourly rules step at most a day at a time; their day filters ignore BYDAY's
# ordinals, so the same filters read yearly pick exactly the days they may fall on.
DAY_STEPPING = {WEEKLY, DAILY, HOURLY}
ALL_WEEKDAYS = tuple(weekday(n) for n in range(7))


def no_day_ever_matches(parsed: rrule, start: datetime) -> bool:
    """Whether no day in a whole calendar cycle passes the rule's day filters (BYMONTH,
    BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYDAY): found in 401 yearly steps, where the rule itself
    would step through every one of those 146,097 days (a third of a second)."""
    # dateutil keeps a rule's parts, defaults filled in, only in these private attributes.
    parts = vars(parsed)
    if parts["_freq"] not in DAY_STEPPING:
        return False
    days = parts["_byweekday"] or ()
    yearly = rrule(
        YEARLY,
        dtstart=start,
        wkst=parts["_wkst"],
        bymonth=parts["_bymonth"],
        bymonthday=(parts["_bymonthday"] or ()) + (parts["_bynmonthday"] or ()) or None,
        byyearday=parts["_byyearday"],
        byweekno=parts["_byweekno"],
        # Every weekday when none is named, so yearly does not fall back to the start's day.
        byweekday=tuple(weekday(day) for day in days) or ALL_WEEKDAYS,
        byhour=0,
        byminute=0,
        bysecond=0,
    )
    return next(iter(bounded(yearly, start)), None) is None


def bounded(parsed: rrule, until_local: datetime) -> rrule:
    """The same rule moved whole 400-year cycles later, so dateutil's walk, which only stops at
    the year 9999 when no date matches, ends within one cycle after `until_local`.

    The moved rule gives the same dates, moved by the same cycles (the calendar repeats
    exactly; INTERVAL counts from the moved start). At most (until_local - start) plus 400
    years of candidate periods are looked at: for an hourly rule, days, about 150,000."""
    cycles = cycles_to_shift(until_local)
    if cycles == 0:
        return parsed
    until = vars(parsed)["_until"]  # dateutil keeps UNTIL only here; None when there is none
    return parsed.replace(
        dtstart=shift_years(vars(parsed)["_dtstart"], cycles * CALENDAR_CYCLE_YEARS),
        until=shift_years(until, cycles * CALENDAR_CYCLE_YEARS) if until else None,
    )


def cycles_to_shift(moment: datetime) -> int:
    """Whole 400-year cycles that fit between `moment` and the last year dateutil reaches."""
    return max(0, (MAXYEAR - 1 - moment.year) // CALENDAR_CYCLE_YEARS)


def shift_years(moment: datetime, years: int) -> datetime:
    """Exact for whole 400-year cycles: 29 February exists in both years."""
    return moment.replace(year=moment.year + years)


def add_years(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years, day=min(moment.day, 28))


def parse_rule(rule: str, start_local: datetime) -> rrule:
    """The dateutil rule for `rule` starting at the naive local `start_local`."""
    try:
        parsed = rrulestr(rule, dtstart=start_local)
    except (ValueError, TypeError, IndexError, KeyError) as error:
        if "UNTIL" in rule and "UTC" in str(error):
            raise RuleViolation(
                gettext(
                    "Write UNTIL as a local date and time without Z, e.g. UNTIL=20271231T235900."
                )
            ) from None
        raise RuleViolation(
            gettext("That is not a valid RRULE; write it like FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2.")
        ) from None
    if not isinstance(parsed, rrule):
        raise RuleViolation(gettext("Give a single RRULE."))
    return parsed


@dataclass(frozen=True)
class Schedule:
    """What a series repeats on: the rule, its first due moment and the owner's zone."""

    rule: str
    starts_at: datetime
    timezone: str


def occurrences_between(
    schedule: Schedule, after: datetime | None, until: datetime, limit: int
) -> list[datetime]:
    """Due moments (UTC) in (after, until], at most `limit`, each at its wall-clock time.

    The rule runs on naive local times so "09:00" stays 09:00 across daylight-saving changes;
    each local time is then read in the owner's zone."""
    start_local = to_local(schedule.starts_at, schedule.timezone).replace(tzinfo=None)
    # One hour of slack on each side covers the local/UTC offset change across a DST switch.
    low = (
        start_local - timedelta(seconds=1)
        if after is None
        else to_local(after, schedule.timezone).replace(tzinfo=None) - timedelta(hours=1)
    )
    high = to_local(until, schedule.timezone).replace(tzinfo=None) + timedelta(hours=1)
    # Moved by whole calendar cycles, so a rule with no date left stops within one cycle.
    years = cycles_to_shift(high) * CALENDAR_CYCLE_YEARS
    rule = bounded(skip_ahead(parse_rule(schedule.rule, start_local), low), high)
    found: list[datetime] = []
    for shifted in rule.xafter(shift_years(low, years), inc=False):
        local = shift_years(shifted, -years)
        if local > high or len(found) >= limit:
            break
        moment = local_to_utc(local, schedule.timezone)
        if (after is None or moment > after) and moment <= until:
            found.append(moment)
    return found


def broken_rule_reason(schedule: Schedule) -> str | None:
    """Why a stored rule can never give a date (saved before rules were checked, or edited in
    the database), else None. Bounded like the check at save: one calendar cycle at most."""
    start_local = to_local(schedule.starts_at, schedule.timezone).replace(tzinfo=None)
    try:
        parsed = parse_rule(schedule.rule, start_local)
    except RuleViolation as refusal:
        return str(refusal)
    if (
        no_day_ever_matches(parsed, start_local)
        or next(iter(bounded(parsed, start_local)), None) is None
    ):
        return gettext("That rule never produces a date.")
    return None


def weekday_name(code: str) -> str:
    """'MO' as the current language names it in full: 'Monday', 'Montag', '月曜日'."""
    return format_weekday(A_MONDAY + timedelta(days=WEEKDAYS.index(code)), "wide")


def weekday_list(codes: list[str]) -> str:
    """Weekdays named in full as a list: 'Monday, Friday' (Tickler's English, as it always
    was), 'Montag und Freitag', '月曜日、金曜日' (CLDR's list patterns)."""
    names = [weekday_name(code) for code in codes]
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return ", ".join(names)
    return format_list(names, style="standard", locale=code)


def describe_rule(rule: str, starts_at: datetime, timezone: str) -> str:
    """The rule in words for the simple choices (one whole sentence per shape, in the current
    language), the RRULE itself otherwise."""
    local = to_local(starts_at, timezone)
    at = format_time(local)
    frequency, weekdays, day_of_month = rule_choices(rule)
    if frequency == "daily":
        return gettext("Every day at %(time)s", time=at)
    if frequency == "weekdays":
        return gettext("Every weekday at %(time)s", time=at)
    if frequency == "weekly":
        return gettext("Every %(days)s at %(time)s", days=weekday_list(weekdays), time=at)
    if frequency == "monthly":
        if day_of_month > 28:
            return gettext(
                "Monthly on day %(day)d (or the month's last day) at %(time)s",
                day=day_of_month,
                time=at,
            )
        return gettext("Monthly on day %(day)d at %(time)s", day=day_of_month, time=at)
    return gettext("%(rule)s, from %(start)s", rule=rule, start=local.strftime("%Y-%m-%d %H:%M"))


def rule_choices(rule: str) -> tuple[str, list[str], int]:
    """Which simple choice (frequency, weekdays, day of month) a stored rule came from."""
    for frequency in ("daily", "weekdays"):
        if rule == build_rule(frequency):
            return frequency, [], 1
    parts = rule_parts(rule)
    if set(parts) == {"FREQ", "BYDAY"} and parts["FREQ"] == "WEEKLY":
        days = parts["BYDAY"].split(",")
        if all(day in WEEKDAYS for day in days):
            return "weekly", days, 1
    if parts.get("FREQ") == "MONTHLY" and "BYMONTHDAY" in parts:
        day = parts["BYMONTHDAY"].split(",")[-1]
        if day.isdigit() and rule == build_rule("monthly", day_of_month=int(day)):
            return "monthly", [], int(day)
    return "custom", [], 1


def rule_parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
