"""The scheduled jobs as data: which task, which crontab, and how to say it in words."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from celery.schedules import crontab
from cron_descriptor import ExpressionDescriptor, FormatException, MissingFieldException

from app import task_catalog as catalog

# Digests check every quarter hour who has reached the digest's hour in their own timezone;
# quarter hours because some zones are offset by 30 or 45 minutes.
DIGEST_TICK = "*/15 * * * *"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    crontab: str
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "generate-daily-report",
        catalog.GENERATE_TASK_REPORT.name,
        "0 7 * * *",
        "Counts tasks by status, priority and project; stores the report and emails admins.",
    ),
    PeriodicJob(
        "send-task-reminders",
        catalog.SEND_TASK_REMINDERS.name,
        DIGEST_TICK,
        "Emails each person their tasks due within 24 hours at {REMINDER_HOUR}:00 their time.",
        {"scheduled": True},
    ),
    PeriodicJob(
        "check-overdue-tasks-daily",
        catalog.FETCH_AND_PRINT_OVERDUE_TASKS.name,
        DIGEST_TICK,
        "Alerts each person about overdue tasks at {OVERDUE_ALERT_HOUR}:00 their time.",
        {"scheduled": True},
    ),
    PeriodicJob(
        "send-weekly-summary",
        catalog.SEND_WEEKLY_SUMMARY_EMAIL.name,
        DIGEST_TICK,
        "Weekly summary on {WEEKLY_SUMMARY_DAY} at {WEEKLY_SUMMARY_HOUR}:00 each person's time.",
        {"scheduled": True},
    ),
    PeriodicJob(
        "cleanup-completed-tasks",
        catalog.CLEANUP_COMPLETED_TASKS.name,
        "0 2 * * 0",
        "Archives tasks completed more than {CLEANUP_AFTER_DAYS} days ago.",
    ),
    PeriodicJob(
        "purge-trash",
        catalog.PURGE_TRASH.name,
        "30 2 * * *",
        "Deletes for good tasks and projects in the Trash for more than "
        "{TRASH_RETENTION_DAYS} days.",
    ),
    PeriodicJob(
        "send-reminder-notifications",
        catalog.SEND_REMINDER_NOTIFICATIONS.name,
        "*/15 * * * *",
        "Sends each task reminder people set, once, when its time comes.",
    ),
    PeriodicJob(
        "check-task-deadlines",
        catalog.CHECK_TASK_DEADLINES.name,
        "0 * * * *",
        "Per-task alerts as tasks enter their last 24 hours; escalates tasks overdue "
        "{OVERDUE_ESCALATE_DAYS} days to the project owner.",
    ),
    PeriodicJob(
        "cleanup-expired-notifications",
        catalog.CLEANUP_EXPIRED_NOTIFICATIONS.name,
        "0 * * * *",
        "Deletes inbox entries older than {NOTIFICATION_RETENTION_DAYS} days.",
    ),
    PeriodicJob(
        "process-recurring-tasks",
        catalog.PROCESS_RECURRING_TASKS.name,
        "*/5 * * * *",
        "Creates each recurring task's occurrences {RECURRING_CREATE_AHEAD_HOURS} hours ahead, "
        "missed ones included, each once.",
    ),
    PeriodicJob(
        "cleanup-completed-recurring-instances",
        catalog.CLEANUP_COMPLETED_RECURRING_INSTANCES.name,
        "30 3 * * *",
        "Archives occurrences of recurring tasks completed more than "
        "{RECURRING_ARCHIVE_AFTER_DAYS} days ago.",
    ),
    PeriodicJob(
        "retry-failed-webhooks",
        catalog.RETRY_FAILED_WEBHOOKS.name,
        "*/10 * * * *",
        "Sends again webhook deliveries whose retry time has come, up to "
        "{WEBHOOK_MAX_ATTEMPTS} attempts.",
    ),
    PeriodicJob(
        "cleanup-old-webhook-deliveries",
        catalog.CLEANUP_OLD_WEBHOOK_DELIVERIES.name,
        "0 2 * * *",
        "Deletes webhook delivery records older than {WEBHOOK_DELIVERY_RETENTION_DAYS} days.",
    ),
    PeriodicJob(
        "precompute-analytics",
        catalog.PRECOMPUTE_ANALYTICS.name,
        "*/30 * * * *",
        "Recomputes the analytics pages of every project and person with tasks.",
    ),
    PeriodicJob(
        "cleanup-expired-exports",
        catalog.CLEANUP_EXPIRED_EXPORTS.name,
        "15 * * * *",
        "Deletes export files older than {EXPORT_TTL_HOURS} hours.",
    ),
    PeriodicJob(
        "cleanup-old-task-runs",
        catalog.CLEANUP_OLD_TASK_RUNS.name,
        "45 3 * * *",
        "Deletes the Jobs page's task run records older than {TASK_RUN_RETENTION_DAYS} days.",
    ),
    PeriodicJob(
        "flush-pending-jobs",
        catalog.FLUSH_PENDING_JOBS.name,
        "* * * * *",
        "Queues the jobs web requests kept while the task queue was unreachable.",
    ),
    PeriodicJob(
        "poll-inbound-mail",
        catalog.POLL_INBOUND_MAIL.name,
        "* * * * *",
        "Reads the inbound mailbox (INBOUND_IMAP_HOST or INBOUND_MAILDIR): replies become "
        "comments, mail-in becomes tasks; does nothing while inbound mail is off.",
    ),
    PeriodicJob(
        "sweep-owed-work",
        catalog.SWEEP_OWED_WORK.name,
        "* * * * *",
        "Queues again the emails, exports and webhooks the database says are owed and no job "
        "holds (workers also run it every {DELIVERY_SWEEP_SECONDS} s).",
    ),
)

# Jobs that keep Tickler's own records (one runs every minute): their successful runs are
# folded away on the Jobs page's Recent runs unless asked for; their failures always show.
HOUSEKEEPING_TASKS = frozenset(
    {
        catalog.FLUSH_PENDING_JOBS.name,
        catalog.CLEANUP_OLD_TASK_RUNS.name,
        catalog.POLL_INBOUND_MAIL.name,
    }
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_crontab(expression: str, nowfun: Any = None) -> crontab:
    """Turn 'minute hour day_of_month month_of_year day_of_week' into a crontab."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expression!r} is not a crontab: give five fields, "
            "e.g. '0 8 * * *' for daily at 08:00"
        )
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        nowfun=nowfun,
    )


def find_job(name: str) -> PeriodicJob | None:
    """The scheduled job called `name` (e.g. "send-task-reminders"), if there is one."""
    return next((job for job in PERIODIC_JOBS if job.name == name), None)


def effective_crontab(job: PeriodicJob, overrides: dict[str, str]) -> str:
    return overrides.get(job.name, job.crontab)


def check_overrides(overrides: dict[str, str]) -> None:
    known = {job.name for job in PERIODIC_JOBS}
    for name, expression in overrides.items():
        if name not in known:
            env_name = "SCHEDULE_" + name.upper().replace("-", "_")
            names = ", ".join("SCHEDULE_" + k.upper().replace("-", "_") for k in sorted(known))
            raise ValueError(f"{env_name} names no scheduled job; use one of {names}")
        parse_crontab(expression)


def build_beat_schedule(overrides: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The beat schedule: every periodic job with its crontab, overridden per job by config."""
    overrides = overrides or {}
    check_overrides(overrides)
    return {
        job.name: {
            "task": job.task,
            "schedule": parse_crontab(effective_crontab(job, overrides)),
            "args": (),
            "kwargs": dict(job.kwargs),
        }
        for job in PERIODIC_JOBS
    }


@lru_cache(maxsize=256)
def describe_crontab(expression: str) -> str:
    """A crontab in words, as cron-descriptor says it: "At 07:00, only on Sunday" (24-hour
    clock; day 0 is Sunday, as in Celery). The expression itself for the few shapes Celery
    takes and cron-descriptor does not, such as a day named in full ("sunday")."""
    try:
        # Cached: each call loads the library's word list, about half a millisecond.
        return ExpressionDescriptor(expression, use_24hour_time_format=True).get_description()
    except (FormatException, MissingFieldException):
        return f"crontab {expression}"


def describe_job(job: PeriodicJob, config: dict[str, Any]) -> str:
    values = {**config, "WEEKLY_SUMMARY_DAY": DAY_NAMES[config.get("WEEKLY_SUMMARY_WEEKDAY", 0)]}
    return job.description.format(**{key: values.get(key, "") for key in _fields(job.description)})


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def next_run(expression: str, now: datetime) -> datetime:
    """When beat will next run a job with this crontab (read in the Celery app's timezone)."""
    # The crontab measures what remains from its own clock; give it `now` as that clock.
    schedule = parse_crontab(expression, nowfun=lambda: now)
    remaining: timedelta = schedule.remaining_estimate(now)
    return now + remaining
