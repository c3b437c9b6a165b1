"""Digest jobs: the reminder, overdue and weekly emails, and the daily report."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from celery import Task, shared_task
from flask import current_app
from flask_babel import ngettext

from app import task_catalog as catalog
from app.core.database import utcnow
from app.core.email import ledger
from app.core.email.models import EmailKind
from app.core.i18n import DEFAULT_LANGUAGE, in_language
from app.core.terminal_language import terminal_language
from app.core.timezones import to_local
from app.digests import reports
from app.digests.delivery import digest_rules, plan_digest, plan_report, report_outcome
from app.digests.rules import chunked
from app.extensions import db
from app.notifications.jobs import send_digest_chunk
from app.operations.job_runs import recorded_run

log = logging.getLogger(__name__)


def fan_out(kind: EmailKind, pairs: list[tuple[int, str]], now: datetime) -> int:
    """Write the ledger rows the run owes, then queue the recipients in chunks on the
    notifications queue; returns how many chunks. The rows come first: a chunk the broker
    loses is still owed in the database, and the sweep queues it again."""
    grace = timedelta(seconds=current_app.config["DELIVERY_QUEUED_GRACE_SECONDS"])
    ledger.ensure_rows(db.session, kind, pairs, now, grace)
    db.session.commit()
    chunks = chunked(pairs, current_app.config["DIGEST_CHUNK_SIZE"])
    for chunk in chunks:
        send_digest_chunk.delay(kind.value, [list(pair) for pair in chunk], now.isoformat())
    return len(chunks)


def run_digest(job: Task, kind: EmailKind, scheduled: bool) -> dict[str, object]:
    now = utcnow()
    with recorded_run(db.session, job.name, job.request.id) as note:
        rule = digest_rules(current_app.config)[kind]
        pairs = plan_digest(db.session, rule, now, scheduled=scheduled)
        chunks = fan_out(kind, pairs, now)
        # A run's note, read on the admin's jobs page: counted in the job's own (default)
        # language, as it is stored once for everyone.
        note.summary = ngettext(
            "%(num)d recipient in %(chunks)s",
            "%(num)d recipients in %(chunks)s",
            len(pairs),
            chunks=ngettext("%(num)d chunk", "%(num)d chunks", chunks),
        )
    return {"recipients": len(pairs), "chunks": chunks, "user_ids": [uid for uid, _ in pairs]}


@shared_task(bind=True, name=catalog.SEND_TASK_REMINDERS.name)
def send_task_reminders(self: Task, scheduled: bool = False) -> dict[str, object]:
    """Email each person their open tasks due within 24 hours, once per local day.

    From beat (scheduled=True) a person is due from REMINDER_HOUR on their own clock; run by
    hand, everyone who has not had today's reminder gets it now."""
    return run_digest(self, EmailKind.TASK_REMINDER, scheduled)


@shared_task(bind=True, name=catalog.FETCH_AND_PRINT_OVERDUE_TASKS.name)
def fetch_and_print_overdue_tasks(self: Task, scheduled: bool = False) -> dict[str, object]:
    """Alert each person about their overdue tasks, once per local day, and log the list."""
    result = run_digest(self, EmailKind.OVERDUE_ALERT, scheduled)
    lines, total = reports.overdue_listing(db.session, utcnow())
    for line in lines:
        log.warning("overdue: %s", line)
    if total > len(lines):
        log.warning("overdue: %d more tasks not listed", total - len(lines))
    return result


@shared_task(bind=True, name=catalog.SEND_WEEKLY_SUMMARY_EMAIL.name)
def send_weekly_summary_email(self: Task, scheduled: bool = False) -> dict[str, object]:
    """Send each person with assigned tasks their weekly summary, once per ISO week."""
    return run_digest(self, EmailKind.WEEKLY_SUMMARY, scheduled)


def note_for_the_reader(job: Task, period: date, emailed: int, already: int) -> str:
    """The report run's outcome in words. Run in a person's own process (celery_utils.py
    --run-task runs it eagerly) it is read at their terminal, in its language; a worker's run
    has no reader there, and says it in the default language like the rest of the job."""
    language = terminal_language() if job.request.is_eager else DEFAULT_LANGUAGE
    with in_language(language):
        return report_outcome(period, emailed, already)


@shared_task(bind=True, name=catalog.GENERATE_TASK_REPORT.name)
def generate_task_report(self: Task) -> dict[str, object]:
    """Count tasks by status, priority and project; store the report and email it to admins."""
    now = utcnow()
    timezone = current_app.config["CELERY"]["timezone"]
    with recorded_run(db.session, self.name, self.request.id) as note:
        data = reports.compute_daily_report(db.session, now, timezone)
        period = to_local(now, timezone).date()
        reports.store_report(db.session, period, data, now)
        db.session.commit()
        rule = digest_rules(current_app.config)[EmailKind.DAILY_REPORT]
        pairs, already = plan_report(db.session, rule, period.isoformat(), now)
        fan_out(EmailKind.DAILY_REPORT, pairs, now)
        note.summary = ngettext(
            "%(open)s open, %(overdue)s overdue; sent to %(num)d admin",
            "%(open)s open, %(overdue)s overdue; sent to %(num)d admins",
            len(pairs),
            open=data["open"],
            overdue=data["overdue"],
        )
    log.info("daily report %s: %s", period, data)
    return {
        "period": period.isoformat(),
        "report": data,
        "admins": len(pairs),
        "already_emailed": already,
        "note": note_for_the_reader(self, period, len(pairs), already),
    }
