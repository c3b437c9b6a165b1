"""The domain events a task change makes: what the service records, in its transaction."""

from __future__ import annotations

from app.core import events
from app.core.database import DbSession
from app.core.events import TaskAssigned, TaskChanged, TaskCreated, TaskSnapshot, TaskStatusChanged
from app.tasklist.models import Task


def snapshot(task: Task) -> TaskSnapshot:
    """The task's reported fields now, to compare with after a change."""
    return TaskSnapshot(
        title=task.title,
        description=task.description,
        status=task.status.value,
        priority=task.priority.value,
        due_at=task.due_at,
        assignee_id=task.assignee_id,
    )


def record_created(session: DbSession, task: Task, actor_id: int | None) -> None:
    """TaskCreated, and TaskAssigned when the new task has an assignee; `task` is flushed."""
    events.record(session, TaskCreated(task.id, task.project_id, actor_id, snapshot(task)))
    if task.assignee_id is not None:
        events.record(session, TaskAssigned(task.id, task.project_id, actor_id, task.assignee_id))


def record_changes(
    session: DbSession, task: Task, before: TaskSnapshot, actor_id: int | None
) -> None:
    """TaskChanged for any change to the reported fields, then TaskAssigned for a new assignee
    and TaskStatusChanged for a new status; nothing when nothing changed."""
    after = snapshot(task)
    changed = events.changed_fields(before, after)
    if not changed:
        return
    ids = (task.id, task.project_id, actor_id)
    events.record(session, TaskChanged(*ids, before, after, changed))
    if "assignee_id" in changed and after.assignee_id is not None:
        events.record(session, TaskAssigned(*ids, after.assignee_id))
    if "status" in changed:
        events.record(session, TaskStatusChanged(*ids, before.status, after.status))
