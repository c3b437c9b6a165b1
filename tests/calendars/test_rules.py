"""The calendar's pure rules: days of a month or week, the viewer's day of a due moment, moving
to another day at the same local time, feed tokens and sequence numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.calendars.pages import MONTH, WEEK, bucket_by_day, requested_period, week_heading
from app.calendars.queries import CalendarTask
from app.calendars.rules import (
    feed_token_hash,
    local_day,
    month_period,
    moved_due,
    new_feed_token,
    parse_day,
    parse_month,
    sequence_for,
    utc_bounds,
    week_period,
)
from app.tasklist.models import TaskPriority, TaskStatus

NEW_YORK = "America/New_York"


def task(task_id: int, due_at: datetime, status: TaskStatus = TaskStatus.PENDING) -> CalendarTask:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return CalendarTask(
        task_id, f"T{task_id}", status, TaskPriority.MEDIUM, due_at, 1, "P", created, created
    )


def test_a_month_is_whole_weeks_from_monday_to_sunday():
    period = month_period(date(2026, 12, 1))  # 1 December 2026 is a Tuesday
    assert period.first == date(2026, 11, 30)
    assert period.last == date(2027, 1, 3)
    assert all(week[0].weekday() == 0 and len(week) == 7 for week in period.weeks)
    assert len(period.weeks) == 5


def test_a_month_starting_on_monday_starts_on_its_first():
    period = month_period(date(2027, 2, 1))  # Monday; February 2027 is exactly four weeks
    assert (period.first, period.last) == (date(2027, 2, 1), date(2027, 2, 28))


def test_a_week_runs_monday_to_sunday_whatever_day_is_asked():
    period = week_period(date(2026, 12, 10))  # Thursday
    assert (period.first, period.last) == (date(2026, 12, 7), date(2026, 12, 13))
    assert week_period(date(2026, 12, 13)).first == date(2026, 12, 7)  # Sunday: same week


def test_a_due_moment_lands_on_the_viewers_day():
    late_evening = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)  # 23:30 on the 7th in New York
    assert local_day(late_evening, NEW_YORK) == date(2026, 12, 7)
    assert local_day(late_evening, "UTC") == date(2026, 12, 8)
    assert local_day(late_evening, "Asia/Tokyo") == date(2026, 12, 8)


def test_the_period_bounds_are_local_midnights_in_utc_across_a_clock_change():
    period = week_period(date(2027, 3, 10))  # New York springs forward on Sunday 14 March 2027
    start, end = utc_bounds(period, NEW_YORK)
    assert start == datetime(2027, 3, 8, 5, 0, tzinfo=UTC)  # midnight EST
    assert end == datetime(2027, 3, 15, 4, 0, tzinfo=UTC)  # midnight EDT


def test_bucketing_puts_a_task_on_its_local_day_with_its_local_time():
    now = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
    late = task(1, datetime(2026, 12, 8, 4, 30, tzinfo=UTC))
    future = task(2, datetime(2026, 12, 20, 14, 0, tzinfo=UTC))
    done = task(3, datetime(2026, 12, 1, 14, 0, tzinfo=UTC), TaskStatus.COMPLETED)
    days = bucket_by_day([late, future, done], NEW_YORK, now)
    [on_7th] = days[date(2026, 12, 7)]
    assert (on_7th.task.id, on_7th.time, on_7th.overdue) == (1, "23:30", True)
    assert days[date(2026, 12, 20)][0].overdue is False
    assert days[date(2026, 12, 1)][0].overdue is False  # completed work is never overdue


def test_moving_keeps_the_local_time_of_day():
    due = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 09:00 in New York
    assert moved_due(due, date(2026, 12, 9), NEW_YORK) == datetime(2026, 12, 9, 14, 0, tzinfo=UTC)


def test_a_move_across_the_spring_clock_change_keeps_nine_in_the_morning():
    due = datetime(2027, 3, 12, 14, 0, tzinfo=UTC)  # Friday 09:00 EST
    moved = moved_due(due, date(2027, 3, 15), NEW_YORK)  # Monday, after the change
    assert moved == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)  # 09:00 EDT


def test_a_move_across_the_autumn_clock_change_keeps_nine_in_the_morning():
    due = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)  # Friday 09:00 in London (BST)
    moved = moved_due(due, date(2026, 11, 2), "Europe/London")  # after clocks go back on the 25th
    assert moved == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_move_into_the_spring_gap_lands_on_a_real_moment():
    due = datetime(2027, 3, 12, 7, 30, tzinfo=UTC)  # 02:30 EST, a time 14 March does not have
    moved = moved_due(due, date(2027, 3, 14), NEW_YORK)
    assert moved.tzinfo is not None and local_day(moved, NEW_YORK) == date(2027, 3, 14)


def test_months_and_days_are_read_strictly():
    assert parse_month("2026-12") == date(2026, 12, 1)
    for bad in (None, "", "2026-13", "2026-1", "12-2026", "2026-12-01", "20260-12", "abcd-ef"):
        assert parse_month(bad) is None
    assert parse_day("2026-12-07") == date(2026, 12, 7)
    for bad in (None, "", "2026-02-30", "7/12/2026", "2026-12-7", "0001-01-01", "2026-12-07x"):
        assert parse_day(bad) is None


def test_the_requested_period_falls_back_to_today_and_says_so():
    today = date(2026, 12, 9)
    assert requested_period(MONTH, None, today) == (month_period(today), False)
    assert requested_period(MONTH, "2027-02", today)[0].focus == date(2027, 2, 1)
    assert requested_period(MONTH, "junk", today) == (month_period(today), True)
    assert requested_period(WEEK, "2026-12-31", today)[0].first == date(2026, 12, 28)
    assert requested_period(WEEK, "2026-99-99", today) == (week_period(today), True)


def test_week_headings_name_both_months_or_years_when_the_week_spans_them():
    assert week_heading(week_period(date(2026, 12, 9))) == "7 – 13 Dec 2026"
    assert week_heading(week_period(date(2026, 11, 30))) == "30 Nov – 6 Dec 2026"
    assert week_heading(week_period(date(2026, 12, 30))) == "28 Dec 2026 – 3 Jan 2027"


def test_feed_tokens_are_random_and_only_their_hash_is_kept():
    first, second = new_feed_token(), new_feed_token()
    assert first != second and len(first) >= 43
    assert feed_token_hash(first) == feed_token_hash(first)
    assert feed_token_hash(first) != feed_token_hash(second)
    assert first not in feed_token_hash(first) and len(feed_token_hash(first)) == 64


def test_the_sequence_grows_with_every_later_edit():
    created = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert sequence_for(created, created) == 0
    first_edit = sequence_for(created, created + timedelta(minutes=5))
    second_edit = sequence_for(created, created + timedelta(minutes=5, seconds=1))
    assert 0 < first_edit < second_edit
    assert sequence_for(created, created + timedelta(days=1)) == 86400
    # Naive times (SQLite hands some back so) count as UTC.
    assert sequence_for(created.replace(tzinfo=None), created + timedelta(seconds=3)) == 3
