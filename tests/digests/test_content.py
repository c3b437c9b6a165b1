"""What each digest says: subjects, which tasks, dates in the reader's zone, days overdue."""

from datetime import UTC, datetime, timedelta

from app.digests.content import (
    overdue_digest,
    reminder_digest,
    report_digest,
    share_rows,
    weekly_digest,
)
from app.tasklist.models import TaskPriority, TaskStatus
from tests.digest_fakes import FakeTask

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_reminder_lists_tasks_due_within_24_hours_soonest_first():
    tasks = [
        FakeTask(1, "Later", NOW + timedelta(hours=20)),
        FakeTask(2, "Sooner", NOW + timedelta(hours=2), priority=TaskPriority.CRITICAL),
        FakeTask(3, "Too late", NOW + timedelta(hours=30)),
        FakeTask(4, "Done", NOW + timedelta(hours=3), status=TaskStatus.COMPLETED),
    ]
    digest = reminder_digest(tasks, NOW, "Asia/Tokyo")
    assert digest.subject == "2 tasks due in the next 24 hours"
    assert [line.title for line in digest.context["tasks"]] == ["Sooner", "Later"]
    assert digest.context["tasks"][0].due == "Wed 25 Nov 2026, 19:00 JST"
    assert digest.context["tasks"][0].priority == "Critical"
    assert digest.task_ids == (2, 1)


def test_singular_subject():
    digest = reminder_digest([FakeTask(1, "Only", NOW + timedelta(hours=1))], NOW, "UTC")
    # One task: the subject names it, not "1 task".
    assert digest.subject == "“Only” is due in the next 24 hours"


def test_no_digest_when_there_is_nothing_to_say():
    assert reminder_digest([FakeTask(1, "Far", NOW + timedelta(days=3))], NOW, "UTC") is None
    assert overdue_digest([FakeTask(1, "Fine", NOW + timedelta(hours=1))], NOW, "UTC") is None
    assert weekly_digest([], NOW, "UTC") is None


def test_overdue_alert_counts_days_overdue_by_the_readers_calendar():
    tasks = [
        FakeTask(1, "Three days", NOW - timedelta(days=3)),
        FakeTask(2, "Earlier today", NOW - timedelta(hours=1)),
    ]
    digest = overdue_digest(tasks, NOW, "UTC")
    assert digest.subject == "2 overdue tasks need attention"
    assert [(line.title, line.days_overdue) for line in digest.context["tasks"]] == [
        ("Three days", 3),
        ("Earlier today", 0),
    ]
    assert overdue_digest(tasks[:1], NOW, "UTC").subject == "“Three days” is overdue"


def test_weekly_summary_counts_and_sections():
    tasks = [
        FakeTask(1, "Pending soon", NOW + timedelta(days=2)),
        FakeTask(2, "Working", NOW + timedelta(days=10), status=TaskStatus.IN_PROGRESS),
        FakeTask(3, "Late", NOW - timedelta(days=1), status=TaskStatus.BLOCKED),
        FakeTask(
            4, "Shipped", None, status=TaskStatus.COMPLETED, completed_at=NOW - timedelta(days=2)
        ),
        FakeTask(
            5, "Old win", None, status=TaskStatus.COMPLETED, completed_at=NOW - timedelta(days=9)
        ),
        FakeTask(6, "Stuck", NOW + timedelta(days=1), status=TaskStatus.BLOCKED),
    ]
    digest = weekly_digest(tasks, NOW, "UTC")
    # Each listed task in one tile: the blocked overdue task only as overdue, the blocked one
    # due this week as blocked; "Working" (due next week) and "Old win" are not listed.
    assert digest.context["stats"] == {
        "overdue": 1,
        "pending": 1,
        "in_progress": 0,
        "blocked": 1,
        "completed": 1,
        "total": 4,
    }
    assert [t.title for t in digest.context["overdue"].tasks] == ["Late"]
    assert [t.title for t in digest.context["upcoming"].tasks] == ["Stuck", "Pending soon"]
    assert [t.title for t in digest.context["completed"].tasks] == ["Shipped"]
    assert digest.subject == "Your week: 2 tasks due, 1 overdue, 1 completed"


def test_weekly_tiles_add_up_to_the_tasks_listed_whatever_their_statuses():
    statuses = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED]
    tasks = [
        FakeTask(n, f"Task {n}", NOW + timedelta(hours=n - 30), status=statuses[n % 3])
        for n in range(60)
    ] + [
        FakeTask(100 + n, "Done", None, TaskStatus.COMPLETED, completed_at=NOW - timedelta(days=1))
        for n in range(5)
    ]
    digest = weekly_digest(tasks, NOW, "UTC", max_rows=10)
    stats = digest.context["stats"]
    sections = [digest.context[name] for name in ("overdue", "upcoming", "completed")]
    listed = sum(section.total for section in sections)
    assert stats["total"] == listed == 65
    assert sum(v for k, v in stats.items() if k != "total") == listed
    assert stats["overdue"] == digest.context["overdue"].total == 30
    assert stats["completed"] == digest.context["completed"].total == 5
    assert sum(len(section.tasks) for section in sections) == 10


def test_overdue_alert_lists_the_most_urgent_first_then_the_latest():
    tasks = [
        FakeTask(1, "Old low", NOW - timedelta(days=30), priority=TaskPriority.LOW),
        FakeTask(2, "New critical", NOW - timedelta(hours=1), priority=TaskPriority.CRITICAL),
        FakeTask(3, "Old high", NOW - timedelta(days=9), priority=TaskPriority.HIGH),
        FakeTask(4, "Older critical", NOW - timedelta(days=2), priority=TaskPriority.CRITICAL),
    ]
    digest = overdue_digest(tasks, NOW, "UTC")
    titles = [line.title for line in digest.context["tasks"]]
    assert titles == ["Older critical", "New critical", "Old high", "Old low"]


def test_a_digest_lists_at_most_max_rows_and_counts_the_rest():
    tasks = [
        FakeTask(n, f"Task {n}", NOW + timedelta(minutes=n), priority=TaskPriority.LOW)
        for n in range(1, 41)
    ] + [FakeTask(99, "Urgent", NOW + timedelta(hours=23), priority=TaskPriority.CRITICAL)]
    digest = reminder_digest(tasks, NOW, "UTC", max_rows=5)
    assert [line.title for line in digest.context["tasks"]] == [
        "Urgent",
        "Task 1",
        "Task 2",
        "Task 3",
        "Task 4",
    ]
    assert digest.context["more"] == 36
    assert digest.task_ids == (99, 1, 2, 3, 4), "the ledger records the tasks the email lists"
    assert digest.subject == "41 tasks due in the next 24 hours"
    assert reminder_digest(tasks[:3], NOW, "UTC", max_rows=5).context["more"] == 0


def test_rows_are_shared_out_between_sections_in_turn():
    assert share_rows([500, 500, 0], 25) == [13, 12, 0]
    assert share_rows([2, 500, 500], 25) == [2, 12, 11]
    assert share_rows([3, 4, 5], 25) == [3, 4, 5]
    assert share_rows([0, 0, 0], 25) == [0, 0, 0]


def test_report_subject_names_the_day_and_the_headline_numbers():
    digest = report_digest({"open": 7, "overdue": 2}, "2026-11-25")
    assert digest.subject == "Daily task report for 2026-11-25: 7 open, 2 overdue"


def test_the_summary_and_the_dashboard_mean_the_same_week_even_on_a_sunday():
    from app.tasklist.deadlines import bucket_by_deadline, local_week

    sunday = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)  # Sunday 16:00 in Berlin
    tasks = [
        FakeTask(1, "Tonight", datetime(2026, 12, 6, 21, 0, tzinfo=UTC)),
        FakeTask(2, "Monday evening", datetime(2026, 12, 7, 19, 0, tzinfo=UTC)),
        FakeTask(3, "Next Friday", datetime(2026, 12, 11, 9, 0, tzinfo=UTC)),
    ]
    digest = weekly_digest(tasks, sunday, "Europe/Berlin")
    buckets = bucket_by_deadline(tasks, sunday, "Europe/Berlin")
    on_dashboard = [t.title for t in buckets.due_soon + buckets.later_this_week]
    assert [t.title for t in digest.context["upcoming"].tasks] == on_dashboard == ["Tonight"]
    assert digest.context["week"] == local_week(sunday, "Europe/Berlin").words
    assert digest.context["week"] == "Mon 30 Nov – Sun 6 Dec"
