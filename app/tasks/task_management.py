"""Task-management jobs: scheduled digests and the manual status update."""

from __future__ import annotations

import logging

from celery import shared_task

from app.extensions import db
from app.models import utcnow
from app.services.errors import NotFound
from app.services.tasks import change_status

log = logging.getLogger(__name__)


@shared_task(name="app.tasks.task_management.update_task_status")
def update_task_status(task_id: int, new_status: str) -> dict[str, object]:
    """Move task `task_id` to `new_status`; an unknown status fails the job with its reason."""
    try:
        change = change_status(db.session, int(task_id), new_status, utcnow())
    except NotFound:
        log.warning("update_task_status: task %s no longer exists; nothing to do", task_id)
        return {"task_id": task_id, "status": None, "changed": False, "missing": True}
    db.session.commit()
    log.info("task %s: %s -> %s", task_id, change.old_status, change.new_status)
    return {"task_id": task_id, "status": change.new_status, "changed": change.changed}
