"""The beat job that polls the inbound mailbox every minute (a thin shell over app.inbound.poll)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from celery import Task, shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core.email.live_runs import run_held
from app.extensions import db
from app.inbound.poll import off_message, poll_all, transports_configured
from app.inbound.transports import InboundMailError, PollReport
from app.operations.job_runs import recorded_run

log = logging.getLogger(__name__)

# One poll at a time (a PostgreSQL advisory lock, freed if the poller dies): a second would
# only find the first one's messages duplicates, since the ledger already makes them safe.
POLL_LOCK = "inbound-mail-poll"
BUSY = "Another poll is running; this one left the mailbox to it."


@shared_task(bind=True, name=catalog.POLL_INBOUND_MAIL.name)
def poll_inbound_mail(self: Task) -> dict[str, object]:
    """Handle the mail waiting in INBOUND_IMAP_HOST's folder and in INBOUND_MAILDIR."""
    if not transports_configured(current_app.config):
        return {"result": off_message()}
    return recorded_poll(current_app.config, self.request.id)


def recorded_poll(config: Mapping[str, Any], celery_id: str | None) -> dict[str, object]:
    """Poll once, recorded as a run of the job (Admin › Jobs and Admin › Inbound mail show
    it); a transport that failed fails the run with its reason (never the password)."""
    with recorded_run(db.session, catalog.POLL_INBOUND_MAIL.name, celery_id) as note:
        reports = locked_poll(config)
        note.summary = summarise(reports)
        failed = [report.summary() for report in reports if report.error]
        if failed:
            raise InboundMailError(" ".join(failed))
    return {"result": note.summary, "transports": [report.as_dict() for report in reports]}


def locked_poll(config: Mapping[str, Any]) -> list[PollReport]:
    with run_held(db.engine, POLL_LOCK) as alone:
        if not alone:
            return [PollReport("poll", notes=[BUSY])]
        return poll_all(db.session, config)


def summarise(reports: list[PollReport]) -> str:
    return " ".join(" ".join(report.notes) or report.summary() for report in reports)
