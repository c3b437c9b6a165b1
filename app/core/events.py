"""Domain events: what happened to a task or comment, told to the features that subscribe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from app.core.database import DbSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskSnapshot:
    """The fields of a task that events report on, as they were at one moment."""

    title: str
    description: str
    status: str
    priority: str
    due_at: datetime | None
    assignee_id: int | None


def changed_fields(before: TaskSnapshot, after: TaskSnapshot) -> frozenset[str]:
    """The names of the snapshot fields whose values differ (pure)."""
    return frozenset(
        field.name
        for field in fields(TaskSnapshot)
        if getattr(before, field.name) != getattr(after, field.name)
    )


@dataclass(frozen=True)
class TaskCreated:
    task_id: int
    project_id: int
    actor_id: int | None
    task: TaskSnapshot


@dataclass(frozen=True)
class TaskChanged:
    """Some of a task's fields changed; `changed` names them, never empty."""

    task_id: int
    project_id: int
    actor_id: int | None
    before: TaskSnapshot
    after: TaskSnapshot
    changed: frozenset[str]


@dataclass(frozen=True)
class TaskStatusChanged:
    task_id: int
    project_id: int
    actor_id: int | None
    old_status: str
    new_status: str


@dataclass(frozen=True)
class TaskAssigned:
    """A task got an assignee (at creation, or a different one than before)."""

    task_id: int
    project_id: int
    actor_id: int | None
    assignee_id: int


@dataclass(frozen=True)
class CommentAdded:
    comment_id: int
    task_id: int
    project_id: int
    author_id: int


@dataclass(frozen=True)
class TaskMoved:
    """A task moved between the lists, the archive and the Trash; subscribers subscribe to the
    subclasses, each its own event."""

    task_id: int
    project_id: int
    actor_id: int | None


@dataclass(frozen=True)
class TaskDeleted(TaskMoved):
    """A task went to its project's Trash (restorable until purged)."""


@dataclass(frozen=True)
class TaskRestored(TaskMoved):
    """A task came back from the Trash."""


@dataclass(frozen=True)
class TaskArchived(TaskMoved):
    """A task was archived by hand (the weekly cleanup archives in bulk, without events)."""


@dataclass(frozen=True)
class TaskUnarchived(TaskMoved):
    """A task came back from the archive."""


@dataclass(frozen=True)
class TaskLabelsChanged:
    """A task's labels changed; names as they were at the change (a label renamed or deleted
    later does not rewrite history)."""

    task_id: int
    project_id: int
    actor_id: int | None
    added: tuple[str, ...]
    removed: tuple[str, ...]


Event = (
    TaskCreated
    | TaskChanged
    | TaskStatusChanged
    | TaskAssigned
    | CommentAdded
    | TaskDeleted
    | TaskRestored
    | TaskArchived
    | TaskUnarchived
    | TaskLabelsChanged
)
E = TypeVar("E")
Handler = Callable[[DbSession, Any], None]

_subscribers: dict[type, list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[DbSession, E], None]) -> None:
    """Call `handler(session, event)` for every recorded event of `event_type`; subscribing the
    same handler twice (create_app runs once per app, tests build several) keeps one."""
    handlers = _subscribers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def subscribers_of(event_type: type) -> list[Handler]:
    """The handlers of one event type, in the order they subscribed."""
    return list(_subscribers.get(event_type, []))


def record(session: DbSession, event: Event) -> None:
    """Tell the subscribers of `event`, now, inside the caller's transaction: the rows they
    write (deliveries, notifications) commit with the change, and a rollback drops them and
    the jobs they queued after commit. A subscriber's error propagates: the change fails."""
    for handler in subscribers_of(type(event)):
        handler(session, event)
