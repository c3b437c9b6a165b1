"""Ledger periods and weeks in words a person reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.email.models import EmailKind
from app.core.periods import day_range_words, period_in_words


@pytest.mark.parametrize(
    ("kind", "period", "words"),
    [
        (EmailKind.TASK_REMINDER, "2026-12-07", "Reminder for Mon 7 Dec 2026"),
        (EmailKind.OVERDUE_ALERT, "2026-12-07", "Overdue alert for Mon 7 Dec 2026"),
        (EmailKind.DAILY_REPORT, "2026-12-06", "Report for Sun 6 Dec 2026"),
        (EmailKind.WEEKLY_SUMMARY, "2026-W50", "Week of Mon 7 – Sun 13 Dec 2026"),
        (EmailKind.WEEKLY_SUMMARY, "2026-W53", "Week of Mon 28 Dec 2026 – Sun 3 Jan 2027"),
        (EmailKind.WEEKLY_SUMMARY, "2025-W53", "2025-W53"),  # 2025 has no week 53
        (EmailKind.TASK_ACTIVITY, "n6", "Events on a task (no longer kept)"),
        (EmailKind.TASK_ACTIVITY, "odd", "odd"),
    ],
)
def test_periods_read_as_days_and_weeks(kind, period, words):
    assert period_in_words(kind, period, "UTC") == words


def test_an_activity_period_says_when_its_events_began_in_the_readers_zone():
    began = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    words = period_in_words(EmailKind.TASK_ACTIVITY, "n6", "Europe/Berlin", began, events=3)
    assert words == "3 events from Mon 07 Dec 2026, 09:00 CET"


def test_a_range_names_month_and_year_only_where_they_change():
    assert day_range_words(date(2026, 11, 30), date(2026, 12, 6)) == "Mon 30 Nov – Sun 6 Dec 2026"
    assert day_range_words(date(2026, 12, 7), date(2026, 12, 13), False) == "Mon 7 – Sun 13 Dec"


@pytest.mark.parametrize(
    ("language", "period", "words"),
    [
        ("de", "2026-12-07", "Erinnerung für Mo., 7. Dez. 2026"),
        ("ja", "2026-12-07", "2026年12月7日(月) のリマインダー"),
        # CLDR puts thin spaces around the dash of a range.
        ("de", "2026-W50", "Woche vom Mo., 7.\u2009–\u2009So., 13. Dez. 2026"),
        ("ja", "2026-W50", "2026年12月7日(月)～13日(日) の週"),
    ],
)
def test_periods_read_in_the_current_language(app, language, period, words):
    from app.core.i18n import in_language

    with app.test_request_context("/"), in_language(language):
        assert period_in_words(EmailKind.TASK_REMINDER, period, "UTC") == words


def test_activity_periods_count_their_events_in_the_current_language(app):
    from app.core.i18n import in_language

    began = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    with app.test_request_context("/"), in_language("de"):
        words = period_in_words(EmailKind.TASK_ACTIVITY, "n6", "UTC", began, events=1)
        assert words == "1 Ereignis seit Mo., 7. Dez. 2026, 08:00 UTC"
    with app.test_request_context("/"), in_language("ja"):
        words = period_in_words(EmailKind.TASK_ACTIVITY, "n6", "UTC", began, events=3)
        assert words == "2026年12月7日(月) 8:00 UTC からの 3 件のイベント"
