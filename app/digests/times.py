"""When each digest reaches a person, in their zone: read from the real beat schedule (code,
SCHEDULE_<JOB>, or an admin's edit on the Jobs page) and the digest's local hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from celery.schedules import crontab
from flask_babel import gettext, lazy_gettext

from app.core.database import DbSession
from app.core.email.models import EmailKind
from app.core.i18n import format_time
from app.core.timezones import local_to_utc, to_local
from app.digests.delivery import digest_rules
from app.digests.rules import DigestRule
from app.operations import schedule_settings
from app.schedule import effective_crontab, find_job, parse_crontab

MINUTE = timedelta(minutes=1)
# Far enough for any daily or weekly crontab; a monthly one gets "never" in words.
SEARCH_LIMIT = timedelta(days=8)

# A weekly digest's arrival, each weekday its own sentence (its words differ by language).
WEEKLY_AT = (
    lazy_gettext("Mondays at %(time)s"),
    lazy_gettext("Tuesdays at %(time)s"),
    lazy_gettext("Wednesdays at %(time)s"),
    lazy_gettext("Thursdays at %(time)s"),
    lazy_gettext("Fridays at %(time)s"),
    lazy_gettext("Saturdays at %(time)s"),
    lazy_gettext("Sundays at %(time)s"),
)

# The beat job that sends each kind of digest.
JOB_OF_KIND = {
    EmailKind.TASK_REMINDER: "send-task-reminders",
    EmailKind.OVERDUE_ALERT: "check-overdue-tasks-daily",
    EmailKind.WEEKLY_SUMMARY: "send-weekly-summary",
    EmailKind.DAILY_REPORT: "generate-daily-report",
}


def next_local_day(today: date, weekday: int | None) -> date:
    """Today, or for a weekly digest the next day (today included) that is its weekday."""
    if weekday is None:
        return today
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def first_tick_on_or_after(
    expression: str, moment: datetime, beat_timezone: str, within: timedelta = SEARCH_LIMIT
) -> datetime | None:
    """Beat's first run of `expression` at or after `moment`, the crontab read on the wall clock
    of beat's zone (CELERY_TIMEZONE), as beat reads it; None if there is none `within`."""
    schedule = parse_crontab(expression)
    start = moment.astimezone(UTC).replace(second=0, microsecond=0)
    if start < moment:
        start += MINUTE
    candidate = start
    while candidate - start < within:
        wall = to_local(candidate, beat_timezone)
        if not _day_matches(schedule, wall) or wall.hour not in expanded(schedule, "hour"):
            candidate += MINUTE * (60 - wall.minute)  # nothing this hour: try the next one
        elif wall.minute in expanded(schedule, "minute"):
            return candidate
        else:
            candidate += MINUTE
    return None


def expanded(schedule: crontab, field: str) -> set[int]:
    """The values a crontab field allows. Celery expands each field into a set of ints on the
    instance; celery-types does not declare those attributes, so they are read by name here."""
    values: set[int] = getattr(schedule, field)
    return values


def _day_matches(schedule: crontab, wall: datetime) -> bool:
    # Celery numbers days of the week from Sunday = 0, and requires both day fields to match.
    return (
        wall.isoweekday() % 7 in expanded(schedule, "day_of_week")
        and wall.day in expanded(schedule, "day_of_month")
        and wall.month in expanded(schedule, "month_of_year")
    )


def arrival_in_words(
    rule: DigestRule, expression: str, person_timezone: str, beat_timezone: str, now: datetime
) -> str:
    """'daily at 08:00' or 'Mondays at 10:15', on the person's clock; or why it never comes.

    A digest goes at the first tick of its job once the person's local hour has come (the
    daily report: at its job's run, whatever the hour); a tick later that local day is too late.
    """
    if rule.kind == EmailKind.DAILY_REPORT:
        report_tick = first_tick_on_or_after(expression, now, beat_timezone)
        if report_tick is None:
            return gettext(
                "as its job's schedule says (%(crontab)s, %(zone)s)",
                crontab=expression,
                zone=beat_timezone,
            )
        return gettext(
            "daily at %(time)s", time=format_time(to_local(report_tick, person_timezone))
        )
    day = next_local_day(to_local(now, person_timezone).date(), rule.weekday)
    due_from = local_to_utc(
        datetime(day.year, day.month, day.day, rule.local_hour), person_timezone
    )
    found = first_tick_on_or_after(expression, due_from, beat_timezone, within=timedelta(days=1))
    tick = to_local(found, person_timezone) if found else None
    if tick is None or tick.date() != day:
        return gettext(
            "never, as the schedule stands (its job does not run after your hour); ask an admin"
        )
    if rule.weekday is None:
        return gettext("daily at %(time)s", time=format_time(tick))
    return str(WEEKLY_AT[rule.weekday]) % {"time": format_time(tick)}


def digest_arrivals(
    session: DbSession, config: dict[str, Any], person_timezone: str, now: datetime
) -> dict[EmailKind, str]:
    """For each digest kind: when it arrives on the person's clock, as beat is set up now."""
    settings = schedule_settings.settings_by_job(session)
    overrides = schedule_settings.merged_overrides(
        config.get("CELERY_SCHEDULE_OVERRIDES") or {}, settings
    )
    beat_timezone = config["CELERY"]["timezone"]
    rules = digest_rules(config)
    arrivals = {}
    for kind, job_name in JOB_OF_KIND.items():
        job = find_job(job_name)
        assert job is not None, f"{job_name} is not a scheduled job"
        setting = settings.get(job_name)
        if setting is not None and setting.paused:
            arrivals[kind] = gettext("not at the moment: an admin has paused it")
            continue
        arrivals[kind] = arrival_in_words(
            rules[kind], effective_crontab(job, overrides), person_timezone, beat_timezone, now
        )
    return arrivals
