"""Who is due which digest, by their own clock: pure rules, no database, no worker."""

from datetime import UTC, date, datetime

import pytest

from app.core.email.models import EmailKind
from app.digests.rules import DigestRule, Recipient, due_recipients, period_for

REMINDER = DigestRule(EmailKind.TASK_REMINDER, 8, honours_workdays_only=True)
WEEKLY = DigestRule(EmailKind.WEEKLY_SUMMARY, 10, weekday=0, weekly=True)
TOKYO = Recipient(1, "Asia/Tokyo")
KOLKATA = Recipient(2, "Asia/Kolkata")
BERLIN = Recipient(3, "Europe/Berlin")


def at(hour, minute=0, day=25):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(22, 45, day=24), []),  # 07:45 in Tokyo: too early for anyone
        (at(23, 0, day=24), [1]),  # 08:00 in Tokyo
        (at(2, 15), [1]),  # 07:45 in Kolkata: still only Tokyo
        (at(2, 30), [1, 2]),  # 08:00 in Kolkata
        (at(7, 0), [1, 2, 3]),  # 08:00 in Berlin
    ],
)
def test_reminders_reach_each_person_at_eight_their_time(now, expected):
    yesterdays_sent = {(1, "2026-11-24"), (2, "2026-11-24"), (3, "2026-11-24")}
    due = due_recipients(REMINDER, [TOKYO, KOLKATA, BERLIN], now, yesterdays_sent)
    assert [user_id for user_id, _ in due] == expected


def test_the_period_is_the_local_day():
    # 23:00 UTC on the 24th is already the 25th in Tokyo.
    assert period_for(REMINDER, TOKYO, at(23, 0, day=24)) == "2026-11-25"


def test_a_missed_tick_is_caught_up_later_the_same_local_day_but_not_the_next():
    # Beat was down at 08:00 Berlin; the 13:15 tick still sends today's reminder.
    assert period_for(REMINDER, BERLIN, at(12, 15)) == "2026-11-25"
    # Once today's is in the ledger nothing more is due today.
    assert due_recipients(REMINDER, [BERLIN], at(12, 15), {(3, "2026-11-25")}) == []
    # The next day's reminder is due from 08:00 the next day, not before.
    assert period_for(REMINDER, BERLIN, at(6, 0, day=26)) is None


def test_workdays_only_skips_weekends_for_the_reminder_only():
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    weekday_person = Recipient(4, "UTC", workdays_only=True)
    assert period_for(REMINDER, weekday_person, saturday) is None
    overdue = DigestRule(EmailKind.OVERDUE_ALERT, 9)
    assert period_for(overdue, weekday_person, saturday) == "2026-11-28"


def test_paused_digests_resume_the_day_after_the_pause():
    on_holiday = Recipient(5, "UTC", paused_until=date(2026, 11, 25))
    assert period_for(REMINDER, on_holiday, at(9)) is None
    assert period_for(REMINDER, on_holiday, at(9, day=26)) == "2026-11-26"


def test_opted_out_kinds_are_never_due():
    opted_out = Recipient(6, "UTC", opted_out=frozenset({EmailKind.TASK_REMINDER}))
    assert period_for(REMINDER, opted_out, at(9)) is None


def test_weekly_summary_is_due_on_local_monday_and_keyed_by_iso_week():
    monday_10_berlin = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert period_for(WEEKLY, BERLIN, monday_10_berlin) == "2026-W49"
    assert period_for(WEEKLY, BERLIN, datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) is None
    # Monday 10:00 in Tokyo is still Monday 01:00 UTC.
    assert period_for(WEEKLY, TOKYO, datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == "2026-W49"


def test_run_by_hand_sends_now_whatever_the_hour_but_still_once_per_day():
    early = at(3, 0)  # 04:00 in Berlin
    assert due_recipients(REMINDER, [BERLIN], early, set(), scheduled=False) == [(3, "2026-11-25")]
    assert due_recipients(REMINDER, [BERLIN], early, {(3, "2026-11-25")}, scheduled=False) == []
