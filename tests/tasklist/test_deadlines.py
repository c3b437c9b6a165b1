from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.tasklist.deadlines import bucket_by_deadline, end_of_local_week


@dataclass
class FakeTask:
    title: str
    due_at: datetime | None
    is_open: bool = True


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


def test_open_tasks_are_bucketed_by_deadline():
    tasks = [
        FakeTask("overdue", NOW - timedelta(hours=1)),
        FakeTask("soon", NOW + timedelta(hours=23)),
        FakeTask("friday", NOW + timedelta(days=2)),
        FakeTask("next week", NOW + timedelta(days=8)),
        FakeTask("no date", None),
        FakeTask("done late", NOW - timedelta(days=1), is_open=False),
    ]
    buckets = bucket_by_deadline(tasks, NOW, "UTC")
    assert [t.title for t in buckets.overdue] == ["overdue"]
    assert [t.title for t in buckets.due_soon] == ["soon"]
    assert [t.title for t in buckets.later_this_week] == ["friday"]


def test_each_bucket_is_sorted_soonest_first():
    tasks = [FakeTask("b", NOW - timedelta(hours=1)), FakeTask("a", NOW - timedelta(days=3))]
    assert [t.title for t in bucket_by_deadline(tasks, NOW, "UTC").overdue] == ["a", "b"]


def test_the_week_ends_at_local_midnight_before_monday():
    end = end_of_local_week(NOW, "Asia/Tokyo")
    assert (end.year, end.month, end.day, end.hour) == (2026, 11, 30, 0)
    assert end.utcoffset() == timedelta(hours=9)


def test_a_task_due_sunday_night_is_this_week_in_one_zone_and_next_week_in_another():
    sunday_late_utc = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    task = FakeTask("sunday", sunday_late_utc)
    assert bucket_by_deadline([task], NOW, "Europe/London").later_this_week == [task]
    # In Tokyo it is already Monday morning, so it belongs to next week.
    assert bucket_by_deadline([task], NOW, "Asia/Tokyo").later_this_week == []


def test_the_local_week_runs_monday_to_sunday_on_the_persons_clock():
    from datetime import date

    from app.tasklist.deadlines import local_week

    # Sunday 23:30 in Berlin is already Monday morning in Tokyo.
    late_sunday = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)
    berlin, tokyo = local_week(late_sunday, "Europe/Berlin"), local_week(late_sunday, "Asia/Tokyo")
    assert (berlin.first_day, berlin.last_day) == (date(2026, 11, 30), date(2026, 12, 6))
    assert tokyo.words == "Mon 7 – Sun 13 Dec"
    assert berlin.contains(late_sunday) and tokyo.contains(late_sunday)
    assert berlin.end == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
