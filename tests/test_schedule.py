"""The beat schedule: the guide's jobs, crontabs from config, and schedules in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from celery.schedules import crontab

from app import create_app
from app.schedule import build_beat_schedule, describe_crontab, next_run
from config import ConfigError

GUIDE_TASKS = {
    "app.tasks.task_management.generate_task_report",
    "app.tasks.task_management.send_task_reminders",
    "app.tasks.task_management.fetch_and_print_overdue_tasks",
    "app.tasks.task_management.send_weekly_summary_email",
    "app.tasks.task_management.cleanup_completed_tasks",
}


def test_every_scheduled_job_of_the_guide_is_in_the_beat_schedule():
    schedule = build_beat_schedule()
    assert GUIDE_TASKS <= {entry["task"] for entry in schedule.values()}
    assert schedule["generate-daily-report"]["schedule"] == crontab(minute="0", hour="7")
    assert schedule["cleanup-completed-tasks"]["schedule"] == crontab(
        minute="0", hour="2", day_of_week="0"
    )
    assert schedule["check-overdue-tasks-daily"]["kwargs"] == {"scheduled": True}


def test_an_operator_changes_a_crontab_through_the_environment(monkeypatch):
    monkeypatch.setenv("SCHEDULE_GENERATE_DAILY_REPORT", "30 6 * * 1-5")
    celery = create_app("testing").extensions["celery"]
    assert celery.conf.beat_schedule["generate-daily-report"]["schedule"] == crontab(
        minute="30", hour="6", day_of_week="1-5"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SCHEDULE_GENERATE_DAILY_REPORT", "every morning", "is not a crontab"),
        ("SCHEDULE_NO_SUCH_JOB", "0 7 * * *", "names no scheduled job"),
    ],
)
def test_a_bad_schedule_setting_stops_start_up_with_a_clear_message(
    monkeypatch, name, value, message
):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app("testing")


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("0 7 * * *", "At 07:00"),
        ("*/15 * * * *", "Every 15 minutes"),
        ("0 2 * * 0", "At 02:00, only on Sunday"),
        ("0 10 * * 1", "At 10:00, only on Monday"),
        ("0 * * * *", "Every hour"),
        ("15 * * * *", "At 15 minutes past the hour"),
        ("5 4 1 * *", "At 04:05, on day 1 of the month"),
        # Celery takes a day named in full; cron-descriptor does not, so the crontab shows.
        ("0 7 * * sunday", "crontab 0 7 * * sunday"),
    ],
)
def test_crontabs_in_words(expression, words):
    assert describe_crontab(expression) == words


def test_expired_exports_are_cleaned_up_every_hour_at_quarter_past():
    entry = build_beat_schedule()["cleanup-expired-exports"]
    assert entry["task"] == "app.tasks.exports.cleanup_expired_exports"
    assert entry["schedule"] == crontab(minute="15")


def test_next_run_of_a_daily_job():
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert next_run("0 7 * * *", now) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
