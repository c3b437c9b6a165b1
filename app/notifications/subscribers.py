"""What notifications do on domain events: queue, after the change commits, the job that
records who hears of it and batches their email (app/notifications/jobs.py)."""

from __future__ import annotations

from app.core import events
from app.core.database import DbSession
from app.core.events import CommentAdded, TaskAssigned, TaskStatusChanged
from app.core.queueing import after_commit
from app.notifications.jobs import (
    notify_task_status_update,
    send_comment_mention_notification,
    send_task_assignment_notification,
)


def on_task_assigned(session: DbSession, event: TaskAssigned) -> None:
    """The new assignee hears of it (the job skips people who assigned themselves)."""
    after_commit(
        session,
        send_task_assignment_notification,
        event.task_id,
        event.actor_id,
        assignee_id=event.assignee_id,
    )


def on_task_status_changed(session: DbSession, event: TaskStatusChanged) -> None:
    """The creator, the assignee and the watchers hear of it, but not who changed it."""
    after_commit(
        session,
        notify_task_status_update,
        event.task_id,
        event.actor_id,
        event.new_status,
        old_status=event.old_status,
    )


def on_comment_added(session: DbSession, event: CommentAdded) -> None:
    """Those it mentions, and everyone else involved in the task, hear of it."""
    after_commit(session, send_comment_mention_notification, event.comment_id)


def register() -> None:
    """Subscribe notifications to the events it acts on; create_app calls this once."""
    events.subscribe(TaskAssigned, on_task_assigned)
    events.subscribe(TaskStatusChanged, on_task_status_changed)
    events.subscribe(CommentAdded, on_comment_added)
