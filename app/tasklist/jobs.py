"""Task-list jobs: archive completed tasks, purge the Trash, and change a task's status off the
request."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from flask import current_app

from app import task_catalog as catalog
from app.core.database import utcnow
from app.core.errors import NotFound
from app.extensions import db
from app.operations.job_runs import recorded_run
from app.tasklist import cleanup, trash
from app.tasklist.service import change_status

log = logging.getLogger(__name__)


@shared_task(bind=True, name=catalog.CLEANUP_COMPLETED_TASKS.name)
def cleanup_completed_tasks(self: Task) -> dict[str, int]:
    """Archive tasks completed more than CLEANUP_AFTER_DAYS ago; delete only if configured."""
    now = utcnow()
    with recorded_run(db.session, self.name, self.request.id) as note:
        archived = cleanup.archive_completed(
            db.session, now, current_app.config["CLEANUP_AFTER_DAYS"]
        )
        deleted = cleanup.delete_archived(
            db.session, now, current_app.config["CLEANUP_DELETE_AFTER_DAYS"]
        )
        db.session.commit()
        note.summary = f"archived {archived}, deleted {deleted}"
    return {"archived": archived, "deleted": deleted}


@shared_task(bind=True, name=catalog.PURGE_TRASH.name)
def purge_trash(self: Task) -> dict[str, int]:
    """Delete for good what has been in the Trash longer than TRASH_RETENTION_DAYS; running it
    twice deletes nothing more."""
    with recorded_run(db.session, self.name, self.request.id) as note:
        purged = trash.purge_trash(db.session, utcnow(), current_app.config["TRASH_RETENTION_DAYS"])
        db.session.commit()
        note.summary = f"purged {purged.tasks} tasks, {purged.projects} projects"
    return {"tasks": purged.tasks, "projects": purged.projects}


@shared_task(name=catalog.UPDATE_TASK_STATUS.name)
def update_task_status(
    task_id: int, new_status: str, actor_id: int | None = None
) -> dict[str, object]:
    """Move task `task_id` to `new_status`; an unknown status fails the job with its reason.

    `actor_id` is who asked, so the people following the task hear of it, but not them."""
    try:
        change = change_status(db.session, int(task_id), new_status, utcnow(), actor_id=actor_id)
    except NotFound:
        log.warning("update_task_status: task %s no longer exists; nothing to do", task_id)
        return {"task_id": task_id, "status": None, "changed": False, "missing": True}
    db.session.commit()  # the change's notifications go to the broker with it (app/core/events)
    log.info("task %s: %s -> %s", task_id, change.old_status, change.new_status)
    return {"task_id": task_id, "status": change.new_status, "changed": change.changed}
