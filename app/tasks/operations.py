"""Housekeeping for the operations records behind Admin › Jobs."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from flask import current_app

from app.extensions import db
from app.models import utcnow
from app.services import pending_jobs
from app.services.task_runs import delete_runs_before


@shared_task(name="app.tasks.operations.cleanup_old_task_runs")
def cleanup_old_task_runs() -> dict[str, int]:
    """Delete task run records older than TASK_RUN_RETENTION_DAYS, in one statement."""
    days = current_app.config["TASK_RUN_RETENTION_DAYS"]
    deleted = delete_runs_before(db.session, utcnow() - timedelta(days=days))
    db.session.commit()
    return {"deleted": deleted}


@shared_task(name="app.tasks.operations.flush_pending_jobs")
def flush_pending_jobs() -> dict[str, int]:
    """Hand the broker the jobs web requests kept while it was unreachable, oldest first."""
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
    return {"sent": len(sent)}
