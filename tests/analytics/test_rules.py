"""Analytics numbers against a hand-computed fixture, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.analytics.rules import (
    TaskFacts,
    age_in_words,
    compute_analytics,
    format_duration,
    format_rate,
    open_by_label,
    week_starts,
)

# Wednesday; the 12 weeks are the Mondays 7 Sep ... 23 Nov 2026.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# name: (created, completed, due). Worked out by hand in the comments of the tests below.
FIXTURE = {
    "A": (at(9, 1), at(9, 8), at(9, 10)),  # done week 0 in 7 days, on time
    "B": (at(9, 1), at(9, 20), at(9, 15)),  # done week 1 in 19 days, late
    "C": (at(10, 1), at(10, 6), None),  # done week 4 in 5 days
    "D": (at(10, 1), at(10, 13), at(10, 13)),  # done week 5 in 12 days, exactly at due: on time
    "E": (at(11, 3), at(11, 3, 18), at(11, 4)),  # done week 8 in 6 hours, on time
    "F": (at(11, 10), at(11, 24), at(11, 20)),  # done week 11 in 14 days, late
    "G": (at(11, 20), at(11, 23, 0), None),  # done at Monday 00:00: week 11, in 2.5 days
    "H": (at(8, 1), at(8, 15), at(8, 10)),  # done before the window: counts nowhere
    "I": (at(9, 10), None, None),  # open, never due
    "J": (at(10, 20), None, at(11, 1)),  # open, overdue from 1 Nov 12:00
    "K": (at(11, 24), None, at(11, 25, 6)),  # open since yesterday, overdue by now
    "L": (at(9, 1), None, at(9, 30)),  # open, overdue from 30 Sep 12:00
}
COUNTS = [("completed", "medium", 6), ("completed", "high", 2), ("pending", "low", 2)]
COUNTS += [("in_progress", "critical", 1), ("blocked", "medium", 1)]


def facts() -> list[TaskFacts]:
    return [TaskFacts(*moments) for moments in FIXTURE.values()]


def test_weeks_start_on_monday_and_end_with_the_current_week():
    data = compute_analytics(facts(), COUNTS, NOW, "UTC")
    assert data["weeks"] == [
        "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12",
        "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
    ]  # fmt: skip


def test_completed_per_week_of_the_hand_computed_fixture():
    data = compute_analytics(facts(), COUNTS, NOW, "UTC")
    #                                  A  B        C  D        E           F+G
    assert data["completed_per_week"] == [1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 2]
    assert data["completed_in_window"] == 7


def test_open_and_overdue_read_at_each_weeks_end():
    data = compute_analytics(facts(), COUNTS, NOW, "UTC")
    # 14 Sep: B I L open; 5 Oct: C D I L, L overdue; 2 Nov: I J L, J and L overdue;
    # 23 Nov 00:00: F I J L (G completed at that very instant is no longer open), F J L overdue;
    # now: I J K L, J K L overdue.
    assert data["open"] == [3, 2, 2, 4, 3, 2, 3, 3, 3, 4, 4, 4]
    assert data["overdue"] == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3]


def test_median_time_to_completion_and_on_time_rate():
    data = compute_analytics(facts(), COUNTS, NOW, "UTC")
    # 0.25, 2.5, 5, 7, 12, 14, 19 days: the median is 7 days.
    assert data["median_completion_seconds"] == 7 * 86400
    assert format_duration(data["median_completion_seconds"]) == "7 days"
    # Due dates: A D E on time (D exactly at due), B F late; H is before the window.
    assert (data["on_time"], data["with_due"]) == (3, 5)
    assert format_rate(data["on_time_rate"]) == "60%"


def test_current_counts_by_status_and_priority_include_every_status():
    data = compute_analytics(facts(), COUNTS, NOW, "UTC")
    assert data["by_status"] == {"pending": 2, "in_progress": 1, "completed": 8, "blocked": 1}
    assert data["by_priority"] == {"low": 2, "medium": 7, "high": 2, "critical": 1}
    assert data["total"] == 12


def test_a_scope_without_tasks_has_zeros_and_no_median():
    data = compute_analytics([], [], NOW, "UTC")
    assert data["completed_per_week"] == [0] * 12
    assert data["median_completion_seconds"] is None and data["on_time_rate"] is None
    assert format_duration(None) == "—" and format_rate(None) == "—"


def test_weeks_follow_local_mondays_across_the_autumn_clock_change():
    # Berlin leaves summer time on Sunday 25 Oct 2026 at 03:00 CEST.
    now = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
    starts = week_starts(now, "Europe/Berlin")
    assert starts[-3:] == [
        datetime(2026, 10, 18, 22, 0, tzinfo=UTC),  # Mon 19 Oct 00:00 CEST
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # Mon 26 Oct 00:00 CET
        datetime(2026, 11, 1, 23, 0, tzinfo=UTC),  # Mon 2 Nov 00:00 CET
    ]
    assert starts[-2] - starts[-3] == timedelta(hours=169)
    completions = [
        datetime(2026, 10, 18, 21, 30, tzinfo=UTC),  # Sun 18 Oct 23:30 CEST: week of 12 Oct
        datetime(2026, 10, 18, 22, 30, tzinfo=UTC),  # Mon 19 Oct 00:30 CEST: week of 19 Oct
        datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # Sun 25 Oct 23:30 CET: week of 19 Oct
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # Mon 26 Oct 00:00 CET: week of 26 Oct
    ]
    created = datetime(2026, 10, 1, tzinfo=UTC)
    data = compute_analytics(
        [TaskFacts(created, done, None) for done in completions], [], now, "Europe/Berlin"
    )
    assert data["weeks"][-4:] == ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"]
    assert data["completed_per_week"][-4:] == [1, 2, 1, 0]


def test_the_week_of_the_spring_clock_change_is_an_hour_short():
    # New York springs forward on Sunday 8 Mar 2026.
    starts = week_starts(datetime(2026, 3, 11, 12, 0, tzinfo=UTC), "America/New_York")
    assert starts[-2:] == [
        datetime(2026, 3, 2, 5, 0, tzinfo=UTC),  # Mon 2 Mar 00:00 EST
        datetime(2026, 3, 9, 4, 0, tzinfo=UTC),  # Mon 9 Mar 00:00 EDT
    ]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(45 * 60, "45 minutes"), (60, "1 minute"), (5.5 * 3600, "5.5 hours"), (3 * 86400, "3 days")],
)
def test_durations_in_words(seconds, words):
    assert format_duration(seconds) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(0, "just now"), (1, "1 minute ago"), (14, "14 minutes ago"), (185, "3 hours ago")],
)
def test_snapshot_age_in_words(minutes, words):
    assert age_in_words(NOW - timedelta(minutes=minutes), NOW) == words


def test_labels_are_ranked_by_open_tasks_and_same_names_count_as_one():
    counts = [("bug", 2, 5), ("Bug", 1, 1), ("design", 4, 4), ("ops", 0, 3), ("zz", 3, 3)]
    assert open_by_label(counts) == [
        {"name": "design", "open": 4, "total": 4},
        {"name": "Bug", "open": 3, "total": 6},
        {"name": "zz", "open": 3, "total": 3},
        {"name": "ops", "open": 0, "total": 3},
    ]
    assert [row["name"] for row in open_by_label(counts, limit=2)] == ["design", "Bug"]
    assert open_by_label([]) == []


def test_the_computed_numbers_carry_the_labels():
    data = compute_analytics([], [], NOW, "UTC", label_counts=[("ops", 1, 2)])
    assert data["by_label"] == [{"name": "ops", "open": 1, "total": 2}]
