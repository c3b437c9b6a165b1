"""Housekeeping for the operations records behind Admin › Jobs."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from flask import current_app

from app.extensions import db
from app.models import utcnow
from app.services.task_runs import delete_runs_before


@shared_task(name="app.tasks.operations.cleanup_old_task_runs")
def cleanup_old_task_runs() -> dict[str, int]:
    """Delete task run records older than TASK_RUN_RETENTION_DAYS, in one statement."""
    days = current_app.config["TASK_RUN_RETENTION_DAYS"]
    deleted = delete_runs_before(db.session, utcnow() - timedelta(days=days))
    db.session.commit()
    return {"deleted": deleted}
