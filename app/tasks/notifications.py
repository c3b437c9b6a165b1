"""Sending digests: one chunk of recipients per task, over one SMTP connection."""

from __future__ import annotations

import logging
import random
from datetime import datetime

from celery import Task, shared_task
from flask import current_app

from app.email.digests import compose
from app.email.send import send_batch
from app.extensions import db
from app.models import EmailKind, utcnow
from app.services import ledger
from app.services.digest_delivery import prepare_chunk, retry_pairs, settle_chunk, tally

log = logging.getLogger(__name__)


def retry_countdown(retries: int) -> float:
    """Exponential backoff with jitter, so a recovering server is not hit by all at once."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    ceiling = current_app.config["MAIL_RETRY_MAX_SECONDS"]
    return min(ceiling, base * 2**retries) * random.uniform(0.5, 1.5)


@shared_task(
    bind=True,
    name="app.tasks.notifications.send_digest_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def send_digest_chunk(self: Task, kind: str, pairs: list[list], now_iso: str) -> dict[str, int]:
    """Claim, render and send one chunk of a digest; retry the transient failures later."""
    email_kind, now = EmailKind(kind), datetime.fromisoformat(now_iso)
    wanted = [(int(user_id), str(period)) for user_id, period in pairs]
    claimed = ledger.claim(db.session, email_kind, wanted, self.request.id, utcnow())
    db.session.commit()
    ready, empty = prepare_chunk(db.session, email_kind, claimed, now) if claimed else ([], [])
    results = send_batch([compose(item) for item in ready]) if ready else []
    outcomes = settle_chunk(ready, empty, results)
    ledger.record(db.session, outcomes, utcnow())
    db.session.commit()
    counts = tally(outcomes)
    log.info("%s chunk %s: %s", kind, self.request.id, counts)
    retry = retry_pairs(claimed, outcomes)
    if retry:
        raise self.retry(
            args=(kind, retry, now_iso), countdown=retry_countdown(self.request.retries)
        )
    return counts
