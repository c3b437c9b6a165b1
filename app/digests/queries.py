"""The queries behind the digest jobs: a fixed number of statements, whatever the head count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.database import DbSession
from app.core.email.models import EmailKind
from app.digests.rules import Recipient
from app.preferences.models import (
    ALL_DIGESTS,
    EMAIL,
    PER_TASK_ALERTS,
    WORKDAYS_ONLY,
    EmailChoice,
)
from app.tasklist.deadlines import DUE_SOON_WINDOW
from app.tasklist.models import Task, TaskStatus, in_use


def _open_assigned_tasks() -> Select[Task]:
    return select(Task).where(
        Task.assignee_id.is_not(None),
        in_use(),
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
        query = select(Task.assignee_id).where(Task.assignee_id.is_not(None), in_use())
    # Never correlated: used inside a query on users, it must still read its own users table.
    # cast: mypy cannot see that each query above leaves out a NULL assignee_id.
    return cast("Select[int]", query.distinct().correlate(None))


def users_with_something_to_say(session: DbSession, kind: EmailKind, now: datetime) -> set[int]:
    """Ids of the people a digest of `kind` would have content for, in one statement."""
    return set(session.scalars(candidates(kind, now)))


def recipients_among(session: DbSession, user_ids: Iterable[int] | Select[int]) -> list[Recipient]:
    """Active people among `user_ids` whose address works (`User.can_be_emailed`), with their
    digest choices, in two statements.

    Pass a query of ids (`candidates`) for a whole run: the database reads them itself, where a
    list becomes one bound parameter per person, and PostgreSQL refuses more than 65,535."""
    ids = user_ids if isinstance(user_ids, Select) else list(user_ids)
    if not isinstance(ids, Select) and not ids:
        return []
    users = session.execute(
        select(User.id, User.timezone).where(User.id.in_(ids), User.can_be_emailed)
    ).all()
    opted_out: dict[int, set[EmailKind]] = defaultdict(set)
    workdays_only: set[int] = set()
    paused: dict[int, date] = {}
    digests = [kind.value for kind in EmailKind if kind.is_digest]
    for user_id, kind, enabled, until in session.execute(
        select(EmailChoice.user_id, EmailChoice.kind, EmailChoice.enabled, EmailChoice.until).where(
            EmailChoice.user_id.in_(ids),
            EmailChoice.kind.in_([*digests, WORKDAYS_ONLY, PER_TASK_ALERTS, ALL_DIGESTS]),
            EmailChoice.channel == EMAIL,
            EmailChoice.project_id.is_(None),
        )
    ):
        if kind in digests and not enabled:
            opted_out[user_id].add(EmailKind(kind))
        elif kind == PER_TASK_ALERTS and enabled:
            # They chose an alert per task (check_task_deadlines) over the daily reminder.
            opted_out[user_id].add(EmailKind.TASK_REMINDER)
        elif kind == WORKDAYS_ONLY and enabled:
            workdays_only.add(user_id)
        elif kind == ALL_DIGESTS and not enabled and until is not None:
            paused[user_id] = until
    return [
        Recipient(
            uid,
            tz,
            uid in workdays_only,
            paused.get(uid),
            frozenset(opted_out.get(uid, ())),
        )
        for uid, tz in users
    ]


def tasks_for_digest(
    session: DbSession, kind: EmailKind, user_ids: list[int], now: datetime
) -> dict[int, list[Task]]:
    """Each person's tasks that a digest of `kind` talks about, in one statement."""
    query = select(Task).where(Task.assignee_id.in_(user_ids), in_use())
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
