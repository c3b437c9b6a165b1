"""The queries behind the digest jobs: a fixed number of statements, whatever the head count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.database import DbSession
from app.core.email.models import EmailKind
from app.digests.rules import Recipient
from app.preferences.models import EMAIL, EmailChoice
from app.tasklist.deadlines import DUE_SOON_WINDOW
from app.tasklist.models import Task, TaskStatus


def _open_assigned_tasks() -> Select[Task]:
    return select(Task).where(
        Task.assignee_id.is_not(None),
        Task.archived_at.is_(None),
        Task.status != TaskStatus.COMPLETED,
    )


def candidates(kind: EmailKind, now: datetime) -> Select[int]:
    """The query for the ids of the people a digest of `kind` would have content for."""
    query: Select[int] | Select[int | None]
    if kind == EmailKind.DAILY_REPORT:
        query = select(User.id).where(User.is_admin.is_(True))
    elif kind == EmailKind.TASK_REMINDER:
        query = (
            _open_assigned_tasks()
            .where(Task.due_at >= now, Task.due_at < now + DUE_SOON_WINDOW)
            .with_only_columns(Task.assignee_id)
        )
    elif kind == EmailKind.OVERDUE_ALERT:
        query = _open_assigned_tasks().where(Task.due_at < now).with_only_columns(Task.assignee_id)
    else:
        query = select(Task.assignee_id).where(
            Task.assignee_id.is_not(None), Task.archived_at.is_(None)
        )
    # Never correlated: used inside a query on users, it must still read its own users table.
    # cast: mypy cannot see that each query above leaves out a NULL assignee_id.
    return cast("Select[int]", query.distinct().correlate(None))


def users_with_something_to_say(session: DbSession, kind: EmailKind, now: datetime) -> set[int]:
    """Ids of the people a digest of `kind` would have content for, in one statement."""
    return set(session.scalars(candidates(kind, now)))


def recipients_among(session: DbSession, user_ids: Iterable[int] | Select[int]) -> list[Recipient]:
    """Active people among `user_ids`, with their digest choices, in two statements.

    Pass a query of ids (`candidates`) for a whole run: the database reads them itself, where a
    list becomes one bound parameter per person, and PostgreSQL refuses more than 65,535."""
    ids = user_ids if isinstance(user_ids, Select) else list(user_ids)
    if not isinstance(ids, Select) and not ids:
        return []
    users = session.execute(
        select(
            User.id,
            User.timezone,
            User.digest_workdays_only,
            User.digests_paused_until,
            User.deadline_alerts_per_task,
        ).where(User.id.in_(ids), User.is_active.is_(True))
    ).all()
    opted_out: dict[int, set[EmailKind]] = defaultdict(set)
    for user_id, *_, per_task in users:
        if per_task:
            # They chose an alert per task (check_task_deadlines) over the daily reminder.
            opted_out[user_id].add(EmailKind.TASK_REMINDER)
    for user_id, kind in session.execute(
        select(EmailChoice.user_id, EmailChoice.kind).where(
            EmailChoice.user_id.in_(ids),
            EmailChoice.kind.in_([kind.value for kind in EmailKind if kind.is_digest]),
            EmailChoice.channel == EMAIL,
            EmailChoice.project_id.is_(None),
            EmailChoice.enabled.is_(False),
        )
    ):
        opted_out[user_id].add(EmailKind(kind))
    return [
        Recipient(uid, tz, bool(workdays), paused, frozenset(opted_out.get(uid, ())))
        for uid, tz, workdays, paused, _ in users
    ]


def tasks_for_digest(
    session: DbSession, kind: EmailKind, user_ids: list[int], now: datetime
) -> dict[int, list[Task]]:
    """Each person's tasks that a digest of `kind` talks about, in one statement."""
    query = select(Task).where(Task.assignee_id.in_(user_ids), Task.archived_at.is_(None))
    if kind == EmailKind.TASK_REMINDER:
        query = query.where(
            Task.status != TaskStatus.COMPLETED,
            Task.due_at >= now,
            Task.due_at < now + DUE_SOON_WINDOW,
        )
    elif kind == EmailKind.OVERDUE_ALERT:
        query = query.where(Task.status != TaskStatus.COMPLETED, Task.due_at < now)
    elif kind == EmailKind.WEEKLY_SUMMARY:
        # Open tasks, and those completed in the last week (for "completed this week").
        query = query.where(
            (Task.status != TaskStatus.COMPLETED) | (Task.completed_at >= now - timedelta(days=7))
        )
    by_user: dict[int, list[Task]] = defaultdict(list)
    for task in session.scalars(query.options(joinedload(Task.project)).order_by(Task.due_at)):
        if task.assignee_id is not None:  # always: the query asks for these people's tasks
            by_user[task.assignee_id].append(task)
    return by_user
