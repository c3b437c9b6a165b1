"""Repeat rules without a database: building, checking, month ends and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from app.core.errors import RuleViolation
from app.core.timezones import local_to_utc, to_local
from app.recurring.rules import (
    Schedule,
    build_rule,
    describe_rule,
    normalise_rule,
    occurrences_between,
    rule_choices,
)

BERLIN = "Europe/Berlin"


def local(text: str, zone: str = BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_times(moments: list[datetime], zone: str = BERLIN) -> list[str]:
    return [m.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %a %H:%M") for m in moments]


@pytest.mark.parametrize(
    ("choice", "rule"),
    [
        (("daily",), "FREQ=DAILY"),
        (("weekdays",), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        (("weekly", ["FR", "MO"]), "FREQ=WEEKLY;BYDAY=MO,FR"),
        (("monthly", None, 15), "FREQ=MONTHLY;BYMONTHDAY=15"),
        (("monthly", None, 30), "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
    ],
)
def test_simple_choices_become_rrules_and_back(choice, rule):
    assert build_rule(*choice) == rule
    frequency = rule_choices(rule)[0]
    assert frequency == choice[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a rule"),
        ("FREQ=SECONDLY", "at most hourly"),
        ("FREQ=MINUTELY;INTERVAL=5", "at most hourly"),
        ("nonsense", "not a valid RRULE"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a valid RRULE"),
        ("FREQ=DAILY;UNTIL=20300101T000000Z", "without Z"),
        ("FREQ=DAILY;UNTIL=20200101T000000", "never produces"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "only the RRULE"),
        ("FREQ=DAILY;" + "BYHOUR=9;" * 60, "under 500"),
    ],
)
def test_bad_custom_rules_are_refused_with_a_reason(text, message):
    with pytest.raises(RuleViolation, match=message):
        normalise_rule(text)


def test_custom_rules_are_stored_without_prefix_in_upper_case():
    assert normalise_rule(" rrule:freq=weekly;interval=2;byday=mo ") == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    )


def test_weekly_requires_a_day():
    with pytest.raises(RuleViolation, match="at least one day"):
        build_rule("weekly", [])


def test_monthly_on_the_31st_falls_on_each_short_months_last_day():
    schedule = Schedule(build_rule("monthly", day_of_month=31), local("2027-12-31T09:00"), BERLIN)
    found = occurrences_between(schedule, None, local("2028-07-01T00:00"), 20)
    assert local_times(found) == [
        "2027-12-31 Fri 09:00",
        "2028-01-31 Mon 09:00",
        "2028-02-29 Tue 09:00",  # a leap year
        "2028-03-31 Fri 09:00",
        "2028-04-30 Sun 09:00",
        "2028-05-31 Wed 09:00",
        "2028-06-30 Fri 09:00",
    ]


def test_a_daily_task_keeps_its_wall_clock_time_across_both_dst_changes():
    schedule = Schedule("FREQ=DAILY", local("2026-03-27T09:00"), BERLIN)
    spring = occurrences_between(schedule, None, local("2026-03-31T10:00"), 10)
    assert local_times(spring) == [
        "2026-03-27 Fri 09:00",
        "2026-03-28 Sat 09:00",
        "2026-03-29 Sun 09:00",  # clocks went forward at 02:00 that morning
        "2026-03-30 Mon 09:00",
        "2026-03-31 Tue 09:00",
    ]
    assert spring[3] - spring[1] == timedelta(hours=47), "the short night is in UTC, not local"
    autumn = occurrences_between(schedule, local("2026-10-24T09:00"), local("2026-10-26T09:00"), 10)
    assert local_times(autumn) == ["2026-10-25 Sun 09:00", "2026-10-26 Mon 09:00"]
    # Clocks went back at 03:00 on the 25th: Saturday 09:00 to Sunday 09:00 is 25 hours.
    assert autumn[0] - local("2026-10-24T09:00") == timedelta(hours=25)


def test_an_occurrence_in_the_hour_that_repeats_is_made_once():
    # 02:30 happens twice in Berlin on 25 October 2026.
    schedule = Schedule("FREQ=DAILY", local("2026-10-24T02:30"), BERLIN)
    found = occurrences_between(schedule, None, local("2026-10-26T12:00"), 10)
    assert local_times(found) == [
        "2026-10-24 Sat 02:30",
        "2026-10-25 Sun 02:30",
        "2026-10-26 Mon 02:30",
    ]


def test_weekly_days_in_new_york_and_the_window_is_open_at_the_start():
    zone = "America/New_York"
    schedule = Schedule(build_rule("weekly", ["MO", "TH"]), local("2026-11-02T17:00", zone), zone)
    first = local("2026-11-02T17:00", zone)
    found = occurrences_between(schedule, first, local("2026-11-16T17:00", zone), 10)
    assert local_times(found, zone) == [
        "2026-11-05 Thu 17:00",
        "2026-11-09 Mon 17:00",
        "2026-11-12 Thu 17:00",
        "2026-11-16 Mon 17:00",
    ]


def test_catch_up_is_capped_per_call_and_continues_from_where_it_stopped():
    schedule = Schedule("FREQ=DAILY", local("2026-01-01T09:00"), BERLIN)
    first = occurrences_between(schedule, None, local("2026-12-31T09:00"), 100)
    assert len(first) == 100
    rest = occurrences_between(schedule, first[-1], local("2026-12-31T09:00"), 1000)
    assert len(first) + len(rest) == 365
    assert rest[0] - first[-1] == timedelta(days=1)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY", "Every day at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,FR", "Every Monday, Friday at 09:00"),
        (build_rule("monthly", day_of_month=31), "Monthly on day 31 (or the month's last day)"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO, from 2026-01-05"),
    ],
)
def test_rules_read_in_words(rule, words):
    assert words in describe_rule(rule, local("2026-01-05T09:00"), BERLIN)


SKIPPABLE_RULES = [
    "FREQ=HOURLY",
    "FREQ=HOURLY;INTERVAL=5;BYHOUR=3,8,13",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,TU",
    "FREQ=WEEKLY;INTERVAL=3",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=1,6",
    "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
    "FREQ=YEARLY;INTERVAL=2;BYYEARDAY=100,-1",
    "FREQ=DAILY;UNTIL=20240101T000000",
]
# Firsts that days taken from the start could change: the 31st, a leap day, late in a month.
SKIP_STARTS = [
    datetime(2000, 1, 31, 9, 30),
    datetime(2004, 2, 29, 23, 15),
    datetime(2011, 8, 30, 0, 5),
]


def walked_from_the_start(schedule: Schedule, start: datetime, after: datetime, until: datetime):
    """What dateutil gives walking every period from the first due date (the slow way)."""
    found: list[datetime] = []
    low = to_local(after, schedule.timezone).replace(tzinfo=None) - timedelta(hours=2)
    for moment_local in rrulestr(schedule.rule, dtstart=start).xafter(low, inc=False):
        moment = local_to_utc(moment_local, schedule.timezone)
        if moment > until or len(found) == 6:
            break
        if moment > after:
            found.append(moment)
    return found


@pytest.mark.parametrize("rule", SKIPPABLE_RULES)
@pytest.mark.parametrize("start", SKIP_STARTS)
def test_skipping_whole_periods_gives_exactly_the_dates_dateutil_walks_to(rule, start):
    schedule = Schedule(rule, local_to_utc(start, BERLIN), BERLIN)
    for years, hours in ((0, 5), (1, 17), (9, 4000), (13, 30001)):
        after = schedule.starts_at + timedelta(days=365 * years, hours=hours)
        until = after + timedelta(days=800)
        expected = walked_from_the_start(schedule, start, after, until)
        assert occurrences_between(schedule, after, until, 6) == expected, (start, after)


def test_a_rule_with_count_cannot_skip_so_count_is_kept_small():
    assert normalise_rule("FREQ=DAILY;COUNT=1000") == "FREQ=DAILY;COUNT=1000"
    with pytest.raises(RuleViolation, match="Keep COUNT to 1000 or fewer"):
        normalise_rule("FREQ=HOURLY;COUNT=1001")
