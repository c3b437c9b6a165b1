"""Webhook jobs: deliver one, sweep the retries, forget old deliveries."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task, shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core.database import utcnow
from app.extensions import db
from app.operations.job_runs import recorded_run
from app.webhooks import delivery as delivery_rules
from app.webhooks.http import post_json
from app.webhooks.models import WebhookDelivery, WebhookStatus
from app.webhooks.signing import delivery_headers
from app.webhooks.url_safety import UnsafeUrl, check_url, parse_allowed_hosts

log = logging.getLogger(__name__)


def retry_policy() -> delivery_rules.RetryPolicy:
    config = current_app.config
    return delivery_rules.RetryPolicy(
        config["WEBHOOK_RETRY_BASE_SECONDS"],
        config["WEBHOOK_RETRY_MAX_SECONDS"],
        config["WEBHOOK_MAX_ATTEMPTS"],
    )


@shared_task(bind=True, name=catalog.DELIVER_WEBHOOK.name, max_retries=None)
def deliver_webhook(self: Task, delivery_id: int) -> dict[str, Any]:
    """POST one delivery, signed; retry 5xx, 429 and network errors with backoff.

    The first WEBHOOK_IMMEDIATE_RETRIES retries are this job's own; later ones are picked
    up by retry_failed_webhooks. Each attempt is claimed first, so none is made twice."""
    now = utcnow()
    delivery = delivery_rules.claim(db.session, int(delivery_id), now)
    db.session.commit()
    if delivery is None:
        return {"delivery_id": delivery_id, "status": "not claimable"}
    verdict = attempt(delivery, now)
    db.session.commit()
    log.info(
        "webhook delivery %s (%s) attempt %s: %s",
        delivery.id,
        delivery.event,
        delivery.attempts,
        verdict.status.value,
    )
    immediate = current_app.config["WEBHOOK_IMMEDIATE_RETRIES"]
    if verdict.status == WebhookStatus.RETRYING and self.request.retries < immediate:
        raise self.retry(countdown=verdict.retry_in)
    return {
        "delivery_id": delivery.id,
        "status": verdict.status.value,
        "attempts": delivery.attempts,
    }


def attempt(delivery: WebhookDelivery, now: Any) -> delivery_rules.Verdict:
    """Check the address again (DNS may have changed), sign, send, and record the outcome."""
    subscription = delivery.subscription
    config = current_app.config
    if not subscription.active:
        verdict = delivery_rules.Verdict(WebhookStatus.FAILED)
        delivery_rules.record(delivery, None, verdict, now, "the webhook is switched off")
        return verdict
    try:
        target = check_url(subscription.url, parse_allowed_hosts(config["WEBHOOK_ALLOWED_HOSTS"]))
    except UnsafeUrl as refusal:
        verdict = delivery_rules.Verdict(WebhookStatus.FAILED)
        delivery_rules.record(delivery, None, verdict, now, f"refused: {refusal}")
        return verdict
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tickler-Webhooks/1",
        "X-Tickler-Event": delivery.event,
        "X-Tickler-Delivery": delivery.event_id,
        # The event id is the Standard Webhooks message id: the same on every retry and on a
        # redelivery from the log, so a receiver that already has it can drop the repeat.
        **delivery_headers(subscription.secret, delivery.event_id, int(time.time()), body),
    }
    result = post_json(
        target,
        body,
        headers,
        config["WEBHOOK_TIMEOUT_SECONDS"],
        config["WEBHOOK_MAX_RESPONSE_BYTES"],
    )
    verdict = delivery_rules.judge(result, delivery.attempts, retry_policy())
    delivery_rules.record(delivery, result, verdict, utcnow())
    return verdict


@shared_task(bind=True, name=catalog.RETRY_FAILED_WEBHOOKS.name)
def retry_failed_webhooks(self: Task) -> dict[str, int]:
    """Queue deliveries whose retry time has come, and ones the broker never got."""
    with recorded_run(db.session, self.name, self.request.id) as note:
        ids = delivery_rules.due_for_retry(db.session, utcnow())
        for delivery_id in ids:
            deliver_webhook.delay(delivery_id)
        note.summary = f"queued {len(ids)} deliveries"
    return {"queued": len(ids)}


@shared_task(bind=True, name=catalog.CLEANUP_OLD_WEBHOOK_DELIVERIES.name)
def cleanup_old_webhook_deliveries(self: Task) -> dict[str, int]:
    """Delete delivery records older than WEBHOOK_DELIVERY_RETENTION_DAYS."""
    with recorded_run(db.session, self.name, self.request.id) as note:
        deleted = delivery_rules.delete_older_than(
            db.session, utcnow(), current_app.config["WEBHOOK_DELIVERY_RETENTION_DAYS"]
        )
        db.session.commit()
        note.summary = f"deleted {deleted} deliveries"
    return {"deleted": deleted}
