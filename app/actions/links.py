"""One-purpose links in task emails (mark done, remind me tomorrow): signed, expiring, once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.actions.models import UsedActionToken
from app.core.database import DbSession
from app.projects.service import membership
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus
from app.tasklist.service import set_status

SALT = "tickler-task-action"
MAX_AGE = 7 * 24 * 3600
ACTIONS = {"done": "Mark “{title}” as done", "snooze": "Remind me about “{title}” tomorrow"}


class ActionLinkError(ValueError):
    """Altered, expired, used, or no longer allowed; the message says which."""


@dataclass(frozen=True)
class ActionClaim:
    user: User
    task: Task
    action: str
    nonce: str


@lru_cache(maxsize=4)
def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    # A digest signs two links per task; building the serializer each time was half the cost.
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def issue(secret_key: str, user_id: int, task_id: int, action: str) -> str:
    payload = {"u": user_id, "t": task_id, "a": action, "n": secrets.token_urlsafe(12)}
    return _serializer(secret_key).dumps(payload)


def read(session: DbSession, secret_key: str, token: str) -> ActionClaim:
    """What the link asks for, if it is genuine, fresh and its person may still do it."""
    try:
        data = _serializer(secret_key).loads(token, max_age=MAX_AGE)
        user_id, task_id, action, nonce = int(data["u"]), int(data["t"]), data["a"], str(data["n"])
    except SignatureExpired:
        raise ActionLinkError("This link has expired; open the task in Tickler instead.") from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ActionLinkError("This link is not valid.") from None
    if action not in ACTIONS:
        raise ActionLinkError("This link is not valid.")
    user, task = session.get(User, user_id), session.get(Task, task_id)
    if (
        user is None
        or task is None
        or not user.is_active
        or membership(session, task.project_id, user_id) is None
    ):
        raise ActionLinkError("This link no longer applies: the task or your access to it is gone.")
    if task.is_deleted:
        raise ActionLinkError(f"This task is in the Trash: “{task.title}” was deleted.")
    if session.get(UsedActionToken, nonce) is not None:
        raise ActionLinkError("This link has already been used.")
    if action == "snooze" and not task.is_open:
        raise ActionLinkError(f"“{task.title}” is done; there is nothing to remind you of.")
    return ActionClaim(user, task, action, nonce)


def perform(session: DbSession, claim: ActionClaim, now: datetime) -> str:
    """Do what the link asks, once; returns what happened, in words."""
    session.add(UsedActionToken(nonce=claim.nonce, used_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ActionLinkError("This link has already been used.") from None
    if claim.action == "done":
        if not set_status(session, claim.task, TaskStatus.COMPLETED, now, actor_id=claim.user.id):
            return f"“{claim.task.title}” was already done."
        return f"“{claim.task.title}” is marked as done."
    session.add(
        TaskReminder(
            task_id=claim.task.id, user_id=claim.user.id, remind_at=now + timedelta(days=1)
        )
    )
    return f"We will remind you about “{claim.task.title}” tomorrow at this time."
