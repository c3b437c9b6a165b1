"""Task reminders: when each fires, in its owner's timezone, and which are due now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext, lazy_gettext
from sqlalchemy import select, update

from app.accounts.models import User
from app.core.database import DbSession
from app.core.errors import RuleViolation
from app.core.timezones import format_local, to_local
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus, in_use

# Hours are exact durations; days and weeks keep the wall-clock time across a clock change.
BEFORE_DUE = {
    "1h": (lazy_gettext("1 hour before the due date"), timedelta(hours=1), False),
    "1d": (lazy_gettext("1 day before the due date"), timedelta(days=1), True),
    "1w": (lazy_gettext("1 week before the due date"), timedelta(weeks=1), True),
}


def fire_time(due_at: datetime | None, before_due: str, timezone: str) -> datetime | None:
    """When a relative reminder fires, or None while the task has no due date."""
    if due_at is None:
        return None
    _, offset, wall_clock = BEFORE_DUE[before_due]
    if not wall_clock:
        return due_at - offset
    # Aware arithmetic in one zone moves the wall clock, which is what "a day before" means.
    return (to_local(due_at, timezone) - offset).astimezone(UTC)


def add_reminder(
    session: DbSession,
    task: Task,
    user_id: int,
    timezone: str,
    now: datetime,
    *,
    at: datetime | None = None,
    before_due: str | None = None,
) -> TaskReminder:
    if not task.is_open:
        raise RuleViolation(gettext("This task is done; there is nothing left to remind you of."))
    if before_due is not None:
        if before_due not in BEFORE_DUE:
            raise RuleViolation(gettext("Choose when to be reminded from the list."))
        if task.due_at is None:
            raise RuleViolation(gettext("This task has no due date; choose a time instead."))
        remind_at = fire_time(task.due_at, before_due, timezone)
    elif at is not None:
        remind_at = at
    else:
        raise RuleViolation(gettext("Choose when to be reminded."))
    if remind_at is not None and remind_at <= now:
        raise RuleViolation(gettext("That moment has already passed; choose a later one."))
    reminder = TaskReminder(
        task_id=task.id, user_id=user_id, remind_at=remind_at, before_due=before_due
    )
    session.add(reminder)
    session.flush()
    return reminder


def reminder_in_words(reminder: TaskReminder, timezone: str) -> str:
    """'1 day before the due date (Sun 06 Dec 2026, 09:00 CET)', or the fixed time it fires."""
    when = format_local(reminder.remind_at, timezone)
    if reminder.before_due in BEFORE_DUE:
        label = BEFORE_DUE[reminder.before_due][0]
        if when:
            return gettext("%(before)s (%(when)s)", before=label, when=when)
        return gettext("%(before)s (when the task has a due date)", before=label)
    return when


def move_with_due_date(session: DbSession, task: Task) -> None:
    """Relative reminders follow the due date, in one query; ones that had fired may fire again."""
    rows = session.execute(
        select(TaskReminder, User.timezone)
        .join(User, User.id == TaskReminder.user_id)
        .where(TaskReminder.task_id == task.id, TaskReminder.before_due.is_not(None))
    )
    for reminder, timezone in rows:
        assert reminder.before_due is not None  # the query's before_due IS NOT NULL
        reminder.remind_at = fire_time(task.due_at, reminder.before_due, timezone)
        reminder.sent_at = None


def reminders_of(session: DbSession, task_id: int, user_id: int) -> list[TaskReminder]:
    return list(
        session.scalars(
            select(TaskReminder)
            .where(TaskReminder.task_id == task_id, TaskReminder.user_id == user_id)
            .order_by(TaskReminder.remind_at)
        )
    )


def claim_due(session: DbSession, now: datetime) -> list[TaskReminder]:
    """Take every reminder due by `now` on an open task, atomically: each fires once."""
    open_tasks = select(Task.id).where(Task.status != TaskStatus.COMPLETED, in_use())
    ids = list(
        session.scalars(
            update(TaskReminder)
            .where(
                TaskReminder.sent_at.is_(None),
                TaskReminder.remind_at <= now,
                TaskReminder.task_id.in_(open_tasks),
            )
            .values(sent_at=now)
            .returning(TaskReminder.id)
        )
    )
    if not ids:
        return []
    return list(session.scalars(select(TaskReminder).where(TaskReminder.id.in_(ids))))
