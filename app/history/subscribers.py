"""What the history does on domain events: write the task's activity rows in the change's own
transaction, so a change that rolls back leaves no history of itself."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.accounts.models import User
from app.comments.models import Comment
from app.core import events
from app.core.database import DbSession, utcnow
from app.core.events import (
    CommentAdded,
    TaskArchived,
    TaskChanged,
    TaskCreated,
    TaskDeleted,
    TaskLabelsChanged,
    TaskRestored,
    TaskUnarchived,
)
from app.history import rules
from app.history.models import TaskActivity

PlainEvent = TaskDeleted | TaskRestored | TaskArchived | TaskUnarchived
PLAIN_KINDS: dict[type, str] = {
    TaskDeleted: rules.DELETED,
    TaskRestored: rules.RESTORED,
    TaskArchived: rules.ARCHIVED,
    TaskUnarchived: rules.UNARCHIVED,
}


def name_of(session: DbSession, user_id: int | None) -> str | None:
    """A person's name, None for nobody (Tickler). Remembered for the session (one request
    or job), so many events by one person, as a bulk trash or archive records, read the
    name once rather than once per task."""
    if user_id is None:
        return None
    known: dict[int, str | None] = session.info.setdefault("history_names", {})
    if user_id not in known:
        user = session.get(User, user_id)
        known[user_id] = user.name if user is not None else None
    return known[user_id]


def write(
    session: DbSession,
    task_id: int,
    project_id: int,
    actor_id: int | None,
    actor_name: str | None,
    drafts: Iterable[rules.Draft],
) -> None:
    """Add the rows of `drafts`, all at one moment; the caller's commit keeps them."""
    now = utcnow()
    session.add_all(
        TaskActivity(
            task_id=task_id,
            project_id=project_id,
            actor_id=actor_id,
            actor_name=actor_name,
            kind=draft.kind,
            field=draft.field,
            old_value=draft.old_value,
            new_value=draft.new_value,
            old_id=draft.old_id,
            new_id=draft.new_id,
            created_at=now,
        )
        for draft in drafts
    )


def write_by_actor(
    session: DbSession,
    event: TaskCreated | TaskChanged | TaskLabelsChanged | PlainEvent,
    drafts: list[rules.Draft],
) -> None:
    """Write `drafts` as done by the event's actor, under the name they have now."""
    actor_name = name_of(session, event.actor_id)
    write(session, event.task_id, event.project_id, event.actor_id, actor_name, drafts)


def on_task_created(session: DbSession, event: TaskCreated) -> None:
    write_by_actor(session, event, [rules.Draft(rules.CREATED)])


def on_task_changed(session: DbSession, event: TaskChanged) -> None:
    """One row per changed field; assignees' names as they are at the change."""
    assignees = (event.before.assignee_id, event.after.assignee_id)
    found = {user_id: name_of(session, user_id) for user_id in assignees}
    names = {user_id: name for user_id, name in found.items() if user_id and name}
    drafts = rules.change_drafts(event.before, event.after, event.changed, names)
    write_by_actor(session, event, drafts)


def on_labels_changed(session: DbSession, event: TaskLabelsChanged) -> None:
    draft = rules.label_draft(event.added, event.removed)
    if draft is not None:
        write_by_actor(session, event, [draft])


def on_plain_event(session: DbSession, event: PlainEvent) -> None:
    """Trash, restore, archive and unarchive: who did it, nothing more to say."""
    write_by_actor(session, event, [rules.Draft(PLAIN_KINDS[type(event)])])


def on_comment_added(session: DbSession, event: CommentAdded) -> None:
    """The comment's first words and its author's name, read in one statement."""
    row = session.execute(
        select(Comment.body, User.name)
        .join(User, User.id == Comment.author_id)
        .where(Comment.id == event.comment_id)
    ).one()
    draft = rules.comment_draft(event.comment_id, row.body)
    write(session, event.task_id, event.project_id, event.author_id, row.name, [draft])


def register() -> None:
    """Subscribe the history's handlers to the domain events."""
    events.subscribe(TaskCreated, on_task_created)
    events.subscribe(TaskChanged, on_task_changed)
    events.subscribe(TaskLabelsChanged, on_labels_changed)
    events.subscribe(CommentAdded, on_comment_added)
    for event_type in PLAIN_KINDS:
        events.subscribe(event_type, on_plain_event)
