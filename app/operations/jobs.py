"""Housekeeping for the operations records behind Admin › Jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core import pending_jobs
from app.core.database import utcnow
from app.exports.jobs import export_tasks_async
from app.exports.run import requeue_abandoned
from app.extensions import db
from app.notifications.jobs import flush_task_notifications, send_digest_chunk
from app.operations import job_runs, owed_work
from app.operations.task_runs import delete_runs_before
from app.webhooks import delivery as webhook_rules
from app.webhooks.jobs import deliver_webhook

log = logging.getLogger(__name__)


@shared_task(name=catalog.CLEANUP_OLD_TASK_RUNS.name)
def cleanup_old_task_runs() -> dict[str, int]:
    """Delete task run records older than TASK_RUN_RETENTION_DAYS, in one statement."""
    days = current_app.config["TASK_RUN_RETENTION_DAYS"]
    deleted = delete_runs_before(db.session, utcnow() - timedelta(days=days))
    db.session.commit()
    return {"deleted": deleted}


@shared_task(name=catalog.FLUSH_PENDING_JOBS.name)
def flush_pending_jobs() -> dict[str, int]:
    """Hand the broker the jobs web requests kept while it was unreachable, oldest first."""
    return {"sent": hand_over_pending_jobs()}


def hand_over_pending_jobs() -> int:
    celery = current_app.extensions["celery"]
    jobs = pending_jobs.oldest(db.session)
    sent: list[int] = []
    try:
        for job in jobs:
            name, args, kwargs = pending_jobs.as_call(job)
            celery.send_task(name, args=args, kwargs=kwargs)
            sent.append(job.id)
    finally:
        # Whatever went out is forgotten even if the broker fails again half-way.
        pending_jobs.forget(db.session, sent)
        db.session.commit()
    return len(sent)


@shared_task(name=catalog.SWEEP_OWED_WORK.name)
def sweep_owed_work() -> dict[str, int]:
    """Queue again whatever the database says is owed and no live job holds: digest emails
    (their job lost, their claim's lease run out, their retry never published), activity
    emails past their batching window, webhook deliveries, exports (queued ones, and running
    ones whose worker died, started over), kept web jobs.

    Every job it queues claims its work atomically, so a sweep racing the job it replaces, or
    another sweep, sends nothing twice."""
    config, now = current_app.config, utcnow()
    grace = timedelta(seconds=config["DELIVERY_QUEUED_GRACE_SECONDS"])
    orphans = owed_work.orphaned_digests(db.session, now)
    owed_work.release(db.session, [o.delivery_id for o in orphans], now, grace)
    abandoned = owed_work.release_activity(
        db.session, owed_work.orphaned_activity(db.session, now), now, grace
    )
    lease = timedelta(seconds=config["DELIVERY_LEASE_SECONDS"])
    restarted = requeue_abandoned(db.session, now, lease)
    db.session.commit()  # before queueing: a publish that fails is found again after `grace`
    for user_id, task_id in abandoned:
        flush_task_notifications.delay(user_id, task_id)
    requeues = owed_work.digest_requeues(orphans, config["DIGEST_CHUNK_SIZE"])
    for chunk in requeues:
        send_digest_chunk.delay(chunk.kind.value, chunk.pairs, chunk.now_iso)
    window = timedelta(seconds=config["NOTIFICATION_BATCH_SECONDS"]) + grace
    activity = sorted(set(owed_work.activity_waiting(db.session, now, window)) - set(abandoned))
    for user_id, task_id in activity:
        flush_task_notifications.delay(user_id, task_id)
    webhooks = webhook_rules.due_for_retry(db.session, now)
    for delivery_id in webhooks:
        deliver_webhook.delay(delivery_id)
    exports = sorted(set(restarted) | set(owed_work.exports_waiting(db.session, now, grace)))
    for export_id in exports:
        export_tasks_async.delay(export_id)
    db.session.commit()
    counts = {
        "digest_emails": len(orphans),
        "digest_chunks": len(requeues),
        "activity": len(activity),
        "activity_abandoned": len(abandoned),
        "webhooks": len(webhooks),
        "exports": len(exports),
        "exports_restarted": len(restarted),
        "pending_jobs": hand_over_pending_jobs(),
        "runs_ended": job_runs.end_abandoned_runs(db.session, now),
    }
    db.session.commit()
    if any(counts.values()):
        log.warning("sweep queued again what the broker no longer had: %s", counts)
    return counts
