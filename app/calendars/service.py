"""Calendar actions: move a task to another day, turn a person's feed on, regenerate or off."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext

from app.calendars.models import CalendarFeed
from app.calendars.rules import feed_token_hash, moved_due, new_feed_token
from app.core.database import DbSession
from app.core.errors import RuleViolation
from app.reminders.service import move_with_due_date
from app.tasklist.models import Task
from app.tasklist.service import move_due_date


def move_task_to_day(
    session: DbSession, task: Task, new_day: date, timezone_name: str, *, actor_id: int
) -> datetime:
    """Move the task's due date to `new_day` at the same time of day in the mover's zone, as an
    edit does it (events, notifications, webhooks), taking its relative reminders along; the
    new due moment. RuleViolation for a task without a due date or in the Trash."""
    if task.due_at is None:
        raise RuleViolation(gettext("This task has no due date to move; set one on its edit page."))
    if task.is_deleted or task.project.deleted_at is not None:
        raise RuleViolation(gettext("This task is in the Trash; restore it before moving it."))
    due_at = moved_due(task.due_at, new_day, timezone_name)
    if due_at == task.due_at:
        return due_at
    move_due_date(session, task, due_at, actor_id=actor_id)
    move_with_due_date(session, task)
    return due_at


def turn_on_feed(session: DbSession, user_id: int) -> str:
    """A new secret token for the person's feed, replacing any earlier one (whose URL then stops
    working); the token itself, to show once: only its hash is kept."""
    token = new_feed_token()
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        session.add(CalendarFeed(user_id=user_id, token_hash=feed_token_hash(token)))
    else:
        feed.token_hash = feed_token_hash(token)
    return token


def turn_off_feed(session: DbSession, user_id: int) -> bool:
    """Revoke the feed: its URL finds nothing from now on. False when it was already off."""
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        return False
    session.delete(feed)
    return True
