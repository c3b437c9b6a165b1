"""When digests arrive on a person's clock, read from the beat schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.email.models import EmailKind
from app.digests.rules import DigestRule
from app.digests.times import arrival_in_words

REMINDER = DigestRule(EmailKind.TASK_REMINDER, 8)
WEEKLY = DigestRule(EmailKind.WEEKLY_SUMMARY, 10, weekday=0, weekly=True)
REPORT = DigestRule(EmailKind.DAILY_REPORT, 0)
# A Sunday afternoon.
NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule", "crontab", "zone", "beat_zone", "words"),
    [
        (REMINDER, "*/15 * * * *", "Europe/Berlin", "UTC", "daily at 08:00"),
        # Ticks on the hour only: India's 08:00 is 02:30 UTC, the next tick 03:00 UTC = 08:30.
        (REMINDER, "0 * * * *", "Asia/Kolkata", "UTC", "daily at 08:30"),
        (REMINDER, "*/15 * * * *", "Asia/Kathmandu", "UTC", "daily at 08:00"),
        (WEEKLY, "*/15 * * * *", "America/New_York", "UTC", "Mondays at 10:00"),
        (WEEKLY, "20 * * * *", "UTC", "UTC", "Mondays at 10:20"),
        # The report runs at 07:00 in beat's zone, whatever the reader's hour.
        (REPORT, "0 7 * * *", "Europe/Berlin", "UTC", "daily at 08:00"),
        (REPORT, "0 7 * * *", "UTC", "Europe/Berlin", "daily at 06:00"),
        (REPORT, "0 7 * * *", "America/Los_Angeles", "UTC", "daily at 23:00"),
    ],
)
def test_arrival_is_the_first_tick_after_the_local_hour(rule, crontab, zone, beat_zone, words):
    assert arrival_in_words(rule, crontab, zone, beat_zone, NOW) == words


def test_a_schedule_that_never_reaches_the_hour_says_so():
    words = arrival_in_words(REMINDER, "0 3 * * *", "UTC", "UTC", NOW)
    assert words.startswith("never")
