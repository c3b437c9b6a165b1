"""One-purpose links in task emails (mark done, remind me tomorrow): signed, expiring, once.

Whoever opens one may not be signed in, so its pages speak the language of the person the link
was signed for (`ActionLinkError.user`, `ActionClaim.user`): the messages here are lazy, read
when the page is written in that language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask_babel import LazyString, gettext, lazy_gettext
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
ACTIONS = ("done", "snooze")


class ActionLinkError(ValueError):
    """Altered, expired, used, or no longer allowed; the message says which (lazy: read in the
    page's language). `user` is the person the link was signed for, when that is known."""

    def __init__(self, message: LazyString, user: User | None = None) -> None:
        super().__init__(message)
        self.user = user


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


def question(claim: ActionClaim) -> str:
    """What the confirmation page asks, in the current language."""
    if claim.action == "done":
        return gettext("Mark “%(title)s” as done?", title=claim.task.title)
    return gettext("Remind me about “%(title)s” tomorrow?", title=claim.task.title)


def read(session: DbSession, secret_key: str, token: str) -> ActionClaim:
    """What the link asks for, if it is genuine, fresh and its person may still do it."""
    try:
        data = _serializer(secret_key).loads(token, max_age=MAX_AGE)
        user_id, task_id, action, nonce = int(data["u"]), int(data["t"]), data["a"], str(data["n"])
    except SignatureExpired as expired:
        raise ActionLinkError(
            lazy_gettext("This link has expired; open the task in Tickler instead."),
            _signed_for(session, secret_key, expired),
        ) from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ActionLinkError(lazy_gettext("This link is not valid.")) from None
    user, task = session.get(User, user_id), session.get(Task, task_id)
    if action not in ACTIONS:
        raise ActionLinkError(lazy_gettext("This link is not valid."), user)
    if (
        user is None
        or task is None
        or not user.is_active
        or membership(session, task.project_id, user_id) is None
    ):
        raise ActionLinkError(
            lazy_gettext("This link no longer applies: the task or your access to it is gone."),
            user,
        )
    if task.is_deleted:
        raise ActionLinkError(
            lazy_gettext("This task is in the Trash: “%(title)s” was deleted.", title=task.title),
            user,
        )
    if session.get(UsedActionToken, nonce) is not None:
        raise ActionLinkError(lazy_gettext("This link has already been used."), user)
    if action == "snooze" and not task.is_open:
        raise ActionLinkError(
            lazy_gettext(
                "“%(title)s” is done; there is nothing to remind you of.", title=task.title
            ),
            user,
        )
    return ActionClaim(user, task, action, nonce)


def _signed_for(session: DbSession, secret_key: str, expired: SignatureExpired) -> User | None:
    """The person an expired link was signed for: its signature was good, only its age is not,
    so its payload is ours and says whose language its page speaks."""
    if not isinstance(expired.payload, bytes):
        return None
    try:
        data = _serializer(secret_key).load_payload(expired.payload)
        return session.get(User, int(data["u"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def perform(session: DbSession, claim: ActionClaim, now: datetime) -> str:
    """Do what the link asks, once; returns what happened, in words (the current language)."""
    session.add(UsedActionToken(nonce=claim.nonce, used_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ActionLinkError(
            lazy_gettext("This link has already been used."), claim.user
        ) from None
    if claim.action == "done":
        if not set_status(session, claim.task, TaskStatus.COMPLETED, now, actor_id=claim.user.id):
            return gettext("“%(title)s” was already done.", title=claim.task.title)
        return gettext("“%(title)s” is marked as done.", title=claim.task.title)
    session.add(
        TaskReminder(
            task_id=claim.task.id, user_id=claim.user.id, remind_at=now + timedelta(days=1)
        )
    )
    return gettext(
        "We will remind you about “%(title)s” tomorrow at this time.", title=claim.task.title
    )
