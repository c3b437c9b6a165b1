"""Export jobs: write a task list to a file, email its owner that it is ready, and delete
files past their time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery import Task, shared_task
from flask import current_app

from app import task_catalog as catalog
from app.accounts.models import User
from app.core.database import utcnow
from app.core.email.job_sending import email_job, send_one
from app.core.email.live_runs import run_held
from app.core.email.send import SENT
from app.core.queueing import queue
from app.exports import service as exports
from app.exports.emails import compose_export_ready
from app.exports.models import Export, ExportStatus
from app.exports.run import ExportOutcome, run_export, run_token
from app.extensions import db


@shared_task(name=catalog.EXPORT_TASKS_ASYNC.name)
def export_tasks_async(export_id: int) -> dict[str, object]:
    """Write export `export_id` to EXPORT_DIR, saving progress every EXPORT_BATCH_SIZE rows.

    Under the export's run lock from before its claim to the end, so the owed-work sweep
    queues it again only if this process dies (`run.requeue_abandoned`); a copy of the job
    the broker hands out while it runs does nothing."""
    config = current_app.config
    with run_held(db.engine, run_token(export_id)) as alone:
        if not alone:
            return ExportOutcome(export_id, "skipped").as_dict()
        outcome = run_export(
            db.session,
            export_id,
            Path(config["EXPORT_DIR"]),
            config["EXPORT_BATCH_SIZE"],
            timedelta(hours=config["EXPORT_TTL_HOURS"]),
            utcnow(),
        )
    if outcome.status == ExportStatus.DONE.value:
        # Only the run that finished the file gets here (one run claims an export), so the
        # email goes once; queued after the commit that made the file downloadable.
        queue(send_export_ready, export_id)
    return outcome.as_dict()


@email_job(catalog.SEND_EXPORT_READY.name)
def send_export_ready(self: Task, export_id: int) -> dict[str, object]:
    """Email the owner of finished export `export_id` its download link and expiry."""
    export = db.session.get(Export, export_id)
    user = db.session.get(User, export.user_id) if export is not None else None
    if export is None or export.status != ExportStatus.DONE or user is None or not user.is_active:
        return {"sent": False, "reason": "no finished export for an active user"}
    result = send_one(self, compose_export_ready(export, user))
    return {"sent": result.outcome == SENT, "error": result.error}


@shared_task(name=catalog.CLEANUP_EXPIRED_EXPORTS.name)
def cleanup_expired_exports() -> dict[str, int]:
    """Delete export files older than EXPORT_TTL_HOURS and mark their exports expired."""
    config = current_app.config
    ttl = timedelta(hours=config["EXPORT_TTL_HOURS"])
    counts = exports.cleanup_expired(db.session, Path(config["EXPORT_DIR"]), utcnow(), ttl)
    db.session.commit()
    return counts
