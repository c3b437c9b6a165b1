"""Which emails a person gets, and the signed one-click links that turn one kind off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.accounts.models import User
from app.core.database import DbSession
from app.core.email.models import EmailKind
from app.preferences.models import EmailPreference

UNSUBSCRIBE_SALT = "tickler-unsubscribe"
# The unsubscribe link of a task-activity email turns off every kind of activity email.
ACTIVITY = "activity"
# Old emails keep working for a year; after that the preferences page is the way.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


class InvalidToken(ValueError):
    """The link was altered, is too old, or was not made by us."""


@dataclass(frozen=True)
class EmailChoices:
    enabled: dict[EmailKind, bool]
    workdays_only: bool
    paused_until: date | None


def kinds_for(user: User) -> list[EmailKind]:
    """The digest kinds a person can receive: the daily report goes to admins only. (Activity
    emails have their own choices, one per event kind.)"""
    return [
        kind
        for kind in EmailKind
        if kind.is_digest and (kind != EmailKind.DAILY_REPORT or user.is_admin)
    ]


def choices_for(session: DbSession, user: User) -> EmailChoices:
    stored = dict(
        session.execute(
            select(EmailPreference.kind, EmailPreference.enabled).where(
                EmailPreference.user_id == user.id
            )
        ).all()
    )
    return EmailChoices(
        {kind: stored.get(kind, True) for kind in kinds_for(user)},
        user.digest_workdays_only,
        user.digests_paused_until,
    )


def set_enabled(session: DbSession, user_id: int, kind: EmailKind, enabled: bool) -> None:
    preference = session.scalar(
        select(EmailPreference).where(
            EmailPreference.user_id == user_id, EmailPreference.kind == kind
        )
    )
    if preference is None:
        session.add(EmailPreference(user_id=user_id, kind=kind, enabled=enabled))
    else:
        preference.enabled = enabled


def save_choices(session: DbSession, user: User, choices: EmailChoices) -> None:
    for kind, enabled in choices.enabled.items():
        set_enabled(session, user.id, kind, enabled)
    user.digest_workdays_only = choices.workdays_only
    user.digests_paused_until = choices.paused_until


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret_key: str, user_id: int, kind: str) -> str:
    """A link that turns off one kind of digest, or (ACTIVITY) every task-activity email."""
    return _serializer(secret_key).dumps({"u": user_id, "k": str(kind)})


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, str]:
    """(user id, kind) from a link we signed; InvalidToken for anything else."""
    try:
        data = _serializer(secret_key).loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
        kind = str(data["k"])
        if kind != ACTIVITY:
            EmailKind(kind)
        return int(data["u"]), kind
    except SignatureExpired:
        raise InvalidToken("This unsubscribe link has expired.") from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidToken("This unsubscribe link is not valid.") from None


def unsubscribe_label(kind: str) -> str:
    return "emails about activity on your tasks" if kind == ACTIVITY else EmailKind(kind).label


def unsubscribe(session: DbSession, user_id: int, kind: str) -> None:
    """Turn off what an unsubscribe link names."""
    if kind != ACTIVITY:
        set_enabled(session, user_id, EmailKind(kind), False)
        return
    from app.notifications.service import Channels, choices, save_choice

    for notification_kind, channels in choices(session, user_id).items():
        save_choice(session, user_id, notification_kind, Channels(False, channels.in_app))
