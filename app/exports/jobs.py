"""Export jobs: write a task list to a file, and delete files past their time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery import shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core.database import utcnow
from app.exports import service as exports
from app.exports.run import run_export
from app.extensions import db


@shared_task(name=catalog.EXPORT_TASKS_ASYNC.name)
def export_tasks_async(export_id: int) -> dict[str, object]:
    """Write export `export_id` to EXPORT_DIR, saving progress every EXPORT_BATCH_SIZE rows."""
    config = current_app.config
    outcome = run_export(
        db.session,
        export_id,
        Path(config["EXPORT_DIR"]),
        config["EXPORT_BATCH_SIZE"],
        timedelta(hours=config["EXPORT_TTL_HOURS"]),
        utcnow(),
    )
    return outcome.as_dict()


@shared_task(name=catalog.CLEANUP_EXPIRED_EXPORTS.name)
def cleanup_expired_exports() -> dict[str, int]:
    """Delete export files older than EXPORT_TTL_HOURS and mark their exports expired."""
    config = current_app.config
    ttl = timedelta(hours=config["EXPORT_TTL_HOURS"])
    counts = exports.cleanup_expired(db.session, Path(config["EXPORT_DIR"]), utcnow(), ttl)
    db.session.commit()
    return counts
