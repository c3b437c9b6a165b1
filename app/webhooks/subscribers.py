"""What webhooks do on domain events: write a pending delivery per subscribed hook in the
change's transaction, queued for deliver_webhook once it commits."""

from __future__ import annotations

from app.comments.models import Comment
from app.core import events
from app.core.database import DbSession, utcnow
from app.core.errors import NotFound
from app.core.events import (
    CommentAdded,
    TaskChanged,
    TaskCreated,
    TaskDeleted,
    TaskLabelsChanged,
    TaskRestored,
)
from app.tasklist.models import Task
from app.webhooks import service as webhooks


def on_task_event(session: DbSession, event: TaskCreated | TaskChanged) -> None:
    """task.created / task.updated, with task.assigned and task.completed as they apply."""
    task = session.get(Task, event.task_id)  # in the session already: no query
    if task is None:
        raise NotFound(f"task {event.task_id}")  # i18n: internal
    webhooks.record_task_event(session, task, event)


def on_labels_changed(session: DbSession, event: TaskLabelsChanged) -> None:
    task = session.get(Task, event.task_id)
    if task is None:
        raise NotFound(f"task {event.task_id}")  # i18n: internal
    webhooks.record_labels_changed(session, task)


def on_task_trashed(session: DbSession, event: TaskDeleted | TaskRestored) -> None:
    """task.deleted when a task goes to the Trash, task.restored when it comes back."""
    task = session.get(Task, event.task_id)
    if task is None:
        raise NotFound(f"task {event.task_id}")  # i18n: internal
    name = "task.deleted" if isinstance(event, TaskDeleted) else "task.restored"
    data = webhooks.task_data(task, webhooks.labels_of(session, task.id))
    data["task"]["deleted_at"] = task.deleted_at.isoformat() if task.deleted_at else None
    webhooks.record_event(session, task.project_id, name, data, utcnow())


def on_comment_added(session: DbSession, event: CommentAdded) -> None:
    comment = session.get(Comment, event.comment_id)
    if comment is None:
        raise NotFound(f"comment {event.comment_id}")  # i18n: internal
    webhooks.record_comment(session, comment, event.project_id)


def register() -> None:
    """Subscribe webhooks to the events it delivers; create_app calls this once."""
    events.subscribe(TaskCreated, on_task_event)
    events.subscribe(TaskChanged, on_task_event)
    events.subscribe(TaskLabelsChanged, on_labels_changed)
    events.subscribe(TaskDeleted, on_task_trashed)
    events.subscribe(TaskRestored, on_task_trashed)
    events.subscribe(CommentAdded, on_comment_added)
