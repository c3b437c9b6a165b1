"""Recording events as notifications, the inbox, and what waits to be emailed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import ColumnElement, ScalarSelect, and_, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.comments.models import Comment, TaskWatcher
from app.core.database import DbSession, execute_dml
from app.core.i18n import current_language, in_language
from app.core.timezones import format_local
from app.notifications.models import Notification, NotificationKind
from app.notifications.rules import BatchedEvent, Event, Involved, TaskNow, recipients
from app.preferences.models import ALL_TASK, EMAIL, IN_APP, EmailChoice
from app.projects.models import ProjectMember
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus, not_deleted


@dataclass(frozen=True)
class Channels:
    email: bool = True
    in_app: bool = True
    # The person's language (read with their row): their notification's line is written in it.
    language: str | None = None


def involved_in(session: DbSession, task: Task) -> Involved:
    watchers = session.scalars(select(TaskWatcher.user_id).where(TaskWatcher.task_id == task.id))
    commenters = session.scalars(
        select(Comment.author_id).where(Comment.task_id == task.id).distinct()
    )
    return Involved(task.creator_id, task.assignee_id, frozenset(watchers), frozenset(commenters))


def can_see(session: DbSession, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (user id, task id) pairs whose person is still a member of the task's project, in one
    statement: a watcher, commenter or reminder-setter who left the team hears nothing more."""
    if not pairs:
        return set()
    rows = session.execute(
        select(ProjectMember.user_id, Task.id)
        .join(Task, Task.project_id == ProjectMember.project_id)
        .where(
            ProjectMember.user_id.in_({user_id for user_id, _ in pairs}),
            Task.id.in_({task_id for _, task_id in pairs}),
            # A task in the Trash (or in a deleted project) is news to nobody: activity
            # queued before the delete is dropped when its email would go.
            not_deleted(),
        )
    )
    return {(user_id, task_id) for user_id, task_id in rows} & pairs


def channels_for(
    session: DbSession, user_ids: set[int], kind: str, project_ids: Collection[int] = ()
) -> tuple[dict[int, Channels], set[tuple[int, int]]]:
    """How each active person among `user_ids` wants to hear of `kind`, and the (person,
    project) pairs among `project_ids` whose task emails they muted, in two statements. A
    person whose address bounced for good still gets the in-app notification, not the email."""
    people = session.execute(
        select(User.id, User.can_be_emailed, User.language).where(
            User.id.in_(user_ids), User.is_active.is_(True)
        )
    ).all()
    emailable = {user_id: can_be_emailed for user_id, can_be_emailed, _ in people}
    languages = {user_id: language for user_id, _, language in people}
    active = set(emailable)
    rows = session.execute(
        select(EmailChoice.user_id, EmailChoice.channel, EmailChoice.project_id).where(
            EmailChoice.user_id.in_(active),
            EmailChoice.enabled.is_(False),
            or_(
                and_(EmailChoice.kind == str(kind), EmailChoice.project_id.is_(None)),
                and_(EmailChoice.kind == ALL_TASK, EmailChoice.project_id.in_(set(project_ids))),
            ),
        )
    ).all()
    off = {(user_id, channel) for user_id, channel, project_id in rows if project_id is None}
    muted = {(user_id, project_id) for user_id, _, project_id in rows if project_id is not None}
    wanted = {
        user_id: Channels(
            (user_id, EMAIL) not in off and bool(emailable[user_id]),
            (user_id, IN_APP) not in off,
            languages[user_id],
        )
        for user_id in active
    }
    return wanted, muted


def status_in_sentence(status: TaskStatus) -> str:
    """A status inside a sentence: 'in progress' in English, French, Spanish; German keeps its
    nouns' capitals ('In Arbeit'), and its sentences quote the status instead."""
    label = status.label
    return label if current_language() == "de" else label.lower()


def describe(event: Event, task: Task, actor_name: str, detail: str = "") -> str:
    """One line saying what happened, as the inbox and the email show it, in the current
    language (the caller sets the recipient's: the line is stored as they will read it)."""
    title, actor = task.title, actor_name or gettext("Someone")
    if event.kind == NotificationKind.ASSIGNED:
        return gettext("%(actor)s assigned “%(title)s” to you", actor=actor, title=title)
    if event.kind == NotificationKind.STATUS_CHANGED:
        # The status named in the reader's language, from its stored value when known.
        status = status_in_sentence(TaskStatus(event.status_to)) if event.status_to else detail
        return gettext(
            "%(actor)s changed “%(title)s” to %(status)s", actor=actor, title=title, status=status
        )
    if event.kind == NotificationKind.MENTIONED:
        return gettext(
            "%(actor)s mentioned you on “%(title)s”: %(excerpt)s",
            actor=actor,
            title=title,
            excerpt=detail,
        )
    if event.kind == NotificationKind.REMINDER:
        if detail:
            return gettext("Reminder: “%(title)s” is due %(due)s", title=title, due=detail)
        return gettext("Reminder: “%(title)s”", title=title)
    if event.kind == NotificationKind.DEADLINE:
        return gettext(
            "“%(title)s” is due %(due)s: less than 24 hours left", title=title, due=detail
        )
    if event.kind == NotificationKind.ESCALATED:
        return gettext("“%(title)s” was due %(due)s and is still open", title=title, due=detail)
    return gettext(
        "%(actor)s commented on “%(title)s”: %(excerpt)s", actor=actor, title=title, excerpt=detail
    )


def record(
    session: DbSession, event: Event, detail: str, now: datetime, comment_id: int | None = None
) -> list[int]:
    """Store a notification for everyone who hears of `event`; returns who wants an email."""
    task = session.get(Task, event.task_id)
    if task is None:
        return []
    actor = session.get(User, event.actor_id) if event.actor_id else None
    chosen = recipients(event, involved_in(session, task))
    members = {user_id for user_id, _ in can_see(session, {(u, task.id) for u in chosen})}
    wanted, muted = channels_for(session, members, event.kind, {task.project_id})
    to_email = []
    for user_id, chosen_channels in sorted(wanted.items()):
        # A muted project's events still reach the inbox, never the mailbox.
        channels = replace(
            chosen_channels, email=chosen_channels.email and (user_id, task.project_id) not in muted
        )
        if not (channels.email or channels.in_app):
            continue
        # Stored text cannot be translated again: each recipient's line is written in their
        # language (loaded with their row by channels_for, no statement per person).
        with in_language(channels.language):
            message = describe(event, task, actor.name if actor else "", detail)[:500]
        session.add(
            Notification(
                user_id=user_id,
                kind=event.kind.value,
                task_id=task.id,
                actor_id=event.actor_id,
                comment_id=comment_id,
                message=message,
                created_at=now,
                in_app=channels.in_app,
                email_wanted=channels.email,
                status_from=event.status_from,
                status_to=event.status_to,
            )
        )
        if channels.email:
            to_email.append(user_id)
    session.flush()
    return to_email


def unread_count(session: DbSession, user_id: int) -> int:
    return session.scalars(
        select(func.count())
        .select_from(Notification)
        .where(*_unread_of(Notification.user_id == user_id))
    ).one()


def unread_count_of_loaded_user() -> ScalarSelect[int]:
    """The same count as a column of the statement that loads a User, so the page's bell
    costs no statement of its own (see load_user)."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(*_unread_of(Notification.user_id == User.id))
        .scalar_subquery()
    )


def _unread_of(whose: ColumnElement[bool]) -> tuple[ColumnElement[bool], ...]:
    return whose, Notification.in_app.is_(True), Notification.read_at.is_(None)


def inbox(
    session: DbSession,
    user_id: int,
    limit: int = 100,
    *,
    unread_only: bool = False,
    before: tuple[datetime, int] | None = None,
) -> list[Notification]:
    """The bell's list, newest first; `before` (created_at, id) pages on from a row (the API's
    cursor), `unread_only` keeps what is not read yet."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.in_app.is_(True))
        .options(joinedload(Notification.task))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before is not None:
        query = query.where(tuple_(Notification.created_at, Notification.id) < before)
    return list(session.scalars(query))


def mark_read(
    session: DbSession, user_id: int, now: datetime, notification_id: int | None = None
) -> int:
    """Mark one (or, without an id, every) unread notification of this person as read."""
    query = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return execute_dml(session, query.values(read_at=now)).rowcount or 0


def claim_for_email(
    session: DbSession, user_id: int, task_id: int, now: datetime
) -> list[Notification]:
    """Take every notification about this task waiting to be emailed to this person, atomically,
    so however many batching jobs run, each event goes out in exactly one email."""
    ids = list(
        session.scalars(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.task_id == task_id,
                Notification.email_wanted.is_(True),
                Notification.emailed_at.is_(None),
            )
            .values(emailed_at=now)
            .returning(Notification.id)
        )
    )
    if not ids:
        return []
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.id.in_(ids))
            .options(
                joinedload(Notification.task).joinedload(Task.project),
                joinedload(Notification.task).joinedload(Task.assignee),
                # The actor names the email's subject and From: loaded here, not per event.
                joinedload(Notification.actor),
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def batched(notification: Notification) -> BatchedEvent:
    """A claimed notification as the batched email's rule reads it."""
    return BatchedEvent(
        NotificationKind(notification.kind),
        notification.message,
        notification.status_from,
        notification.status_to,
        notification.actor.name if notification.actor else None,
    )


def task_now(task: Task) -> TaskNow:
    """The task's state as loaded with the batch (assignee joined, so no statement more)."""
    return TaskNow(
        task.title,
        task.status.value,
        task.is_open,
        task.assignee_id,
        task.assignee.name if task.assignee else None,
    )


def release(session: DbSession, notification_ids: list[int]) -> None:
    """Put notifications back in line after a send that may succeed later."""
    session.execute(
        update(Notification).where(Notification.id.in_(notification_ids)).values(emailed_at=None)
    )


def delete_older_than(session: DbSession, cutoff: datetime) -> int:
    result = execute_dml(session, delete(Notification).where(Notification.created_at < cutoff))
    return result.rowcount or 0


def choices(session: DbSession, user_id: int) -> dict[NotificationKind, Channels]:
    """How this person hears of each kind of task event (kinds with no row: both ways)."""
    off = set(
        session.execute(
            select(EmailChoice.kind, EmailChoice.channel).where(
                EmailChoice.user_id == user_id,
                EmailChoice.project_id.is_(None),
                EmailChoice.enabled.is_(False),
            )
        ).all()
    )
    return {
        kind: Channels((kind.value, EMAIL) not in off, (kind.value, IN_APP) not in off)
        for kind in NotificationKind
    }


def save_choice(
    session: DbSession, user_id: int, kind: NotificationKind, channels: Channels
) -> None:
    """Store both channels of one kind: a row each, in EmailChoice."""
    rows = {
        row.channel: row
        for row in session.scalars(
            select(EmailChoice).where(
                EmailChoice.user_id == user_id,
                EmailChoice.kind == kind.value,
                EmailChoice.project_id.is_(None),
            )
        )
    }
    for channel, enabled in ((EMAIL, channels.email), (IN_APP, channels.in_app)):
        if channel in rows:
            rows[channel].enabled = enabled
        elif not enabled:
            session.add(
                EmailChoice(user_id=user_id, kind=kind.value, channel=channel, enabled=False)
            )


def record_reminders(
    session: DbSession, due: list[TaskReminder], now: datetime
) -> list[tuple[int, int]]:
    return record_addressed(
        session, NotificationKind.REMINDER, [(r.task_id, r.user_id) for r in due], now
    )


def record_addressed(
    session: DbSession, kind: NotificationKind, items: list[tuple[int, int]], now: datetime
) -> list[tuple[int, int]]:
    """A notification of `kind` about each (task id, user id), in a fixed number of statements;
    returns the (user id, task id) pairs to email."""
    visible = can_see(session, {(user_id, task_id) for task_id, user_id in items})
    items = [(task_id, user_id) for task_id, user_id in items if (user_id, task_id) in visible]
    if not items:
        return []
    tasks = {
        t.id: t for t in session.scalars(select(Task).where(Task.id.in_({i for i, _ in items})))
    }
    people = {user_id for _, user_id in items}
    zones = dict(session.execute(select(User.id, User.timezone).where(User.id.in_(people))).all())
    projects = {task.project_id for task in tasks.values()}
    wanted, muted = channels_for(session, people, kind.value, projects)
    to_email = []
    for task_id, user_id in items:
        chosen, task = wanted.get(user_id), tasks.get(task_id)
        if chosen is None or task is None:
            continue
        channels = replace(chosen, email=chosen.email and (user_id, task.project_id) not in muted)
        if not (channels.email or channels.in_app):
            continue
        event = Event(kind, task.id, None, frozenset({user_id}))
        # In the person's language and zone, both read with their row (see record()).
        with in_language(channels.language):
            due = format_local(task.due_at, zones[user_id])
            message = describe(event, task, "", due)[:500]
        session.add(
            Notification(
                user_id=user_id,
                kind=kind.value,
                task_id=task.id,
                message=message,
                created_at=now,
                in_app=channels.in_app,
                email_wanted=channels.email,
            )
        )
        if channels.email:
            to_email.append((user_id, task.id))
    session.flush()
    return to_email
