"""Making, finding and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select, update

from app.api.models import SCOPES, ApiToken
from app.core.database import DbSession, execute_dml
from app.core.errors import NotFound, RuleViolation

# Recognisable in a leaked-secret scan and in logs a person pastes: "tkl_" and 43 characters.
SECRET_PREFIX = "tkl_"
NAME_MAX = 100
# last_used_at is written at most this often per token: a write per request would cost more
# than the answer.
LAST_USED_EVERY = timedelta(minutes=1)


class ExpiryInPast(RuleViolation):
    """The expiry date is not in the future (the form shows it by that field)."""


@dataclass(frozen=True)
class MadeToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def checked_scopes(scopes: list[str] | tuple[str, ...]) -> str:
    chosen = [scope for scope in SCOPES if scope in scopes]
    unknown = set(scopes) - set(SCOPES)
    if unknown or not chosen:
        raise RuleViolation(gettext("Choose at least one scope: read, write or admin."))
    return " ".join(chosen)


def make_token(
    session: DbSession,
    user_id: int,
    name: str,
    scopes: list[str] | tuple[str, ...],
    expires_at: datetime | None,
    now: datetime,
) -> MadeToken:
    """A new token for `user_id`; the secret is in the result only."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise RuleViolation(
            gettext("Give the token a name of 1 to %(max)s characters.", max=NAME_MAX)
        )
    if expires_at is not None and expires_at <= now:
        raise ExpiryInPast(gettext("The expiry date must be in the future."))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[:12],
        scopes=checked_scopes(scopes),
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return MadeToken(token, secret)


def usable_token(session: DbSession, secret: str, now: datetime) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired), else None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token


def note_use(session: DbSession, token: ApiToken, now: datetime) -> bool:
    """Record the token's use, at most once a minute (one UPDATE, not per request); True when
    it wrote, so the caller commits only then."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return False
    execute_dml(session, update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    token.last_used_at = now
    return True


def tokens_of(session: DbSession, user_id: int) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
    )


def revoke(session: DbSession, user_id: int, token_id: int, now: datetime) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound
    if token.revoked_at is None:
        token.revoked_at = now
