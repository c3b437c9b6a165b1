"""The scheduled jobs as data: which task, which crontab, and how to say it in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from celery.schedules import crontab
from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app import task_catalog as catalog

# Digests check every quarter hour who has reached the digest's hour in their own timezone;
# quarter hours because some zones are offset by 30 or 45 minutes.
DIGEST_TICK = "*/15 * * * *"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    crontab: str
    # Said in the reader's language (lazy), with %(SETTING)s placeholders filled from config.
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "generate-daily-report",
        catalog.GENERATE_TASK_REPORT.name,
        "0 7 * * *",
        _l("Counts tasks by status, priority and project; stores the report and emails admins."),
    ),
    PeriodicJob(
        "send-task-reminders",
        catalog.SEND_TASK_REMINDERS.name,
        DIGEST_TICK,
        _l(
            "Emails each person their tasks due within 24 hours at %(REMINDER_HOUR)s:00 their time."
        ),
        {"scheduled": True},
    ),
    PeriodicJob(
        "check-overdue-tasks-daily",
        catalog.FETCH_AND_PRINT_OVERDUE_TASKS.name,
        DIGEST_TICK,
        _l("Alerts each person about overdue tasks at %(OVERDUE_ALERT_HOUR)s:00 their time."),
        {"scheduled": True},
    ),
    PeriodicJob(
        "send-weekly-summary",
        catalog.SEND_WEEKLY_SUMMARY_EMAIL.name,
        DIGEST_TICK,
        _l(
            "Weekly summary on %(WEEKLY_SUMMARY_DAY)s at %(WEEKLY_SUMMARY_HOUR)s:00 "
            "each person's time."
        ),
        {"scheduled": True},
    ),
    PeriodicJob(
        "cleanup-completed-tasks",
        catalog.CLEANUP_COMPLETED_TASKS.name,
        "0 2 * * 0",
        _l("Archives tasks completed more than %(CLEANUP_AFTER_DAYS)s days ago."),
    ),
    PeriodicJob(
        "purge-trash",
        catalog.PURGE_TRASH.name,
        "30 2 * * *",
        _l(
            "Deletes for good tasks and projects in the Trash for more than "
            "%(TRASH_RETENTION_DAYS)s days."
        ),
    ),
    PeriodicJob(
        "send-reminder-notifications",
        catalog.SEND_REMINDER_NOTIFICATIONS.name,
        "*/15 * * * *",
        _l("Sends each task reminder people set, once, when its time comes."),
    ),
    PeriodicJob(
        "check-task-deadlines",
        catalog.CHECK_TASK_DEADLINES.name,
        "0 * * * *",
        _l(
            "Per-task alerts as tasks enter their last 24 hours; escalates tasks overdue "
            "%(OVERDUE_ESCALATE_DAYS)s days to the project owner."
        ),
    ),
    PeriodicJob(
        "cleanup-expired-notifications",
        catalog.CLEANUP_EXPIRED_NOTIFICATIONS.name,
        "0 * * * *",
        _l("Deletes inbox entries older than %(NOTIFICATION_RETENTION_DAYS)s days."),
    ),
    PeriodicJob(
        "process-recurring-tasks",
        catalog.PROCESS_RECURRING_TASKS.name,
        "*/5 * * * *",
        _l(
            "Creates each recurring task's occurrences %(RECURRING_CREATE_AHEAD_HOURS)s hours "
            "ahead, missed ones included, each once."
        ),
    ),
    PeriodicJob(
        "cleanup-completed-recurring-instances",
        catalog.CLEANUP_COMPLETED_RECURRING_INSTANCES.name,
        "30 3 * * *",
        _l(
            "Archives occurrences of recurring tasks completed more than "
            "%(RECURRING_ARCHIVE_AFTER_DAYS)s days ago."
        ),
    ),
    PeriodicJob(
        "retry-failed-webhooks",
        catalog.RETRY_FAILED_WEBHOOKS.name,
        "*/10 * * * *",
        _l(
            "Sends again webhook deliveries whose retry time has come, up to "
            "%(WEBHOOK_MAX_ATTEMPTS)s attempts."
        ),
    ),
    PeriodicJob(
        "cleanup-old-webhook-deliveries",
        catalog.CLEANUP_OLD_WEBHOOK_DELIVERIES.name,
        "0 2 * * *",
        _l("Deletes webhook delivery records older than %(WEBHOOK_DELIVERY_RETENTION_DAYS)s days."),
    ),
    PeriodicJob(
        "precompute-analytics",
        catalog.PRECOMPUTE_ANALYTICS.name,
        "*/30 * * * *",
        _l("Recomputes the analytics pages of every project and person with tasks."),
    ),
    PeriodicJob(
        "cleanup-expired-exports",
        catalog.CLEANUP_EXPIRED_EXPORTS.name,
        "15 * * * *",
        _l("Deletes export files older than %(EXPORT_TTL_HOURS)s hours."),
    ),
    PeriodicJob(
        "cleanup-old-task-runs",
        catalog.CLEANUP_OLD_TASK_RUNS.name,
        "45 3 * * *",
        _l("Deletes the Jobs page's task run records older than %(TASK_RUN_RETENTION_DAYS)s days."),
    ),
    PeriodicJob(
        "flush-pending-jobs",
        catalog.FLUSH_PENDING_JOBS.name,
        "* * * * *",
        _l("Queues the jobs web requests kept while the task queue was unreachable."),
    ),
    PeriodicJob(
        "poll-inbound-mail",
        catalog.POLL_INBOUND_MAIL.name,
        "* * * * *",
        _l(
            "Reads the inbound mailbox (INBOUND_IMAP_HOST or INBOUND_MAILDIR): replies become "
            "comments, mail-in becomes tasks; does nothing while inbound mail is off."
        ),
    ),
    PeriodicJob(
        "sweep-owed-work",
        catalog.SWEEP_OWED_WORK.name,
        "* * * * *",
        _l(
            "Queues again the emails, exports and webhooks the database says are owed and no job "
            "holds; workers also run it on their own (DELIVERY_SWEEP_SECONDS)."
        ),
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
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# cron-descriptor's own languages (it has more; Tickler's are these).
CRON_LOCALES = {"en": "en_US", "de": "de_DE", "es": "es_ES", "fr": "fr_FR", "ja": "ja_JP"}
# cron-descriptor names days and months from Python's `calendar` (the process's C locale, so
# English in every language); they are put into the reader's language from Babel's CLDR names.
_ENGLISH_NAMES = re.compile(r"\b(" + "|".join(DAY_NAMES + MONTH_NAMES) + r")\b")


def parse_crontab(expression: str, nowfun: Any = None) -> crontab:
    """Turn 'minute hour day_of_month month_of_year day_of_week' into a crontab."""
    fields = expression.split()
    if len(fields) != 5:
        # Shown on Admin › Jobs when a crontab is saved: in the admin's language.
        raise ValueError(
            gettext(
                "%(expression)s is not a crontab: give five fields, "
                "e.g. '0 8 * * *' for daily at 08:00",
                expression=repr(expression),
            )
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
            # A start-up error in the operator's log, not a page.
            problem = f"{env_name} names no scheduled job; use one of {names}"  # i18n: internal
            raise ValueError(problem)
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


def describe_crontab(expression: str, language: str | None = None) -> str:
    """A crontab in words, as cron-descriptor says it, in `language` (the current one by
    default): "At 07:00, only on Sunday", "Um 07:00, nur am Sonntag" (24-hour clock; day 0 is
    Sunday, as in Celery). The expression itself for the few shapes Celery takes and
    cron-descriptor does not, such as a day named in full ("sunday")."""
    from app.core.i18n import current_language

    code = language or current_language()
    described = _describe_crontab(expression, code if code in CRON_LOCALES else "en")
    if described is None:
        return gettext("crontab %(expression)s", expression=expression)
    return described


@lru_cache(maxsize=512)
def _describe_crontab(expression: str, code: str) -> str | None:
    try:
        # Cached: each call loads the library's word list, about half a millisecond.
        # The locale given, never the machine's (which cron-descriptor reads otherwise).
        options = Options(use_24hour_time_format=True, locale_code=CRON_LOCALES[code])
        described = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException):
        return None
    if code == "en":
        return described
    return _ENGLISH_NAMES.sub(lambda found: _local_name(found[1], code), described)


def _local_name(english: str, code: str) -> str:
    from babel import Locale

    locale = Locale.parse(code)
    if english in DAY_NAMES:
        return locale.days["format"]["wide"][DAY_NAMES.index(english)]
    return locale.months["format"]["wide"][MONTH_NAMES.index(english) + 1]


def weekday_name(index: int) -> str:
    """Monday (0) to Sunday (6), in the current language: 'Monday', 'Montag', '月曜日'."""
    from app.core.i18n import DEFAULT_LANGUAGE, current_language

    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return DAY_NAMES[index]
    from babel import Locale

    return Locale.parse(code).days["format"]["wide"][index]


def describe_job(job: PeriodicJob, config: dict[str, Any]) -> str:
    """What the job does, in the current language, its settings filled in."""
    values = {**config, "WEEKLY_SUMMARY_DAY": weekday_name(config.get("WEEKLY_SUMMARY_WEEKDAY", 0))}
    text = str(job.description)
    return text % {key: values.get(key, "") for key in _fields(text)}


def _fields(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", text)


def next_run(expression: str, now: datetime) -> datetime:
    """When beat will next run a job with this crontab (read in the Celery app's timezone)."""
    # The crontab measures what remains from its own clock; give it `now` as that clock.
    schedule = parse_crontab(expression, nowfun=lambda: now)
    remaining: timedelta = schedule.remaining_estimate(now)
    return now + remaining
