"""The beat job that polls the inbound mailbox every minute (a thin shell over app.inbound.poll)."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core.email.live_runs import run_held
from app.extensions import db
from app.inbound.poll import OFF, poll_all, transports_configured
from app.inbound.transports import InboundMailError

log = logging.getLogger(__name__)

# One poll at a time (a PostgreSQL advisory lock, freed if the poller dies): two would only
# find each other's messages duplicates, since the ledger already makes them safe.
POLL_LOCK = "inbound-mail-poll"


@shared_task(name=catalog.POLL_INBOUND_MAIL.name)
def poll_inbound_mail() -> dict[str, object]:
    """Handle the mail waiting in INBOUND_IMAP_HOST's folder and in INBOUND_MAILDIR."""
    config = current_app.config
    if not transports_configured(config):
        return {"result": OFF}
    with run_held(db.engine, POLL_LOCK) as alone:
        if not alone:
            return {"result": "Another poll is running; this one left the mailbox to it."}
        reports = poll_all(db.session, config)
    failed = [report.summary() for report in reports if report.error]
    if failed:
        # A failed run on Admin › Jobs, saying what is wrong (never the password).
        raise InboundMailError(" ".join(failed))
    return {
        "result": " ".join(report.summary() for report in reports),
        "transports": [report.as_dict() for report in reports],
    }
