"""Login sessions kept on the server: begun at login, ended by logout or revocation, listed on
the profile. The session and remember cookies carry only the session's random id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import with_expression
from ua_parser import parse as parse_user_agent

from app.accounts.models import User
from app.accounts.session_models import IP_LENGTH, USER_AGENT_SUMMARY_LENGTH, UserSession
from app.core.database import DbSession, execute_dml, utcnow
from app.notifications.service import unread_count_of_loaded_user

# last_seen_at is written at most this often per session: a write on every page would cost a
# statement (and a row version) per request for a column shown to the minute.
LAST_SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class ActiveSession:
    """One line of the profile's list."""

    id: str
    created_at: datetime
    last_seen_at: datetime
    device: str
    ip: str
    is_current: bool


UNKNOWN_BROWSER = "Unknown browser"  # i18n: internal (stored; shown through device_in_words)
_ON = " on "


def describe_user_agent(header: str | None) -> str:
    """ "Firefox 128 on Ubuntu" from a User-Agent header, by ua-parser's rules. Stored in
    English; device_in_words says it in the reader's language."""
    if not header:
        return UNKNOWN_BROWSER
    result = parse_user_agent(header[:1000])
    browser = result.user_agent.family if result.user_agent else UNKNOWN_BROWSER
    if result.user_agent and result.user_agent.major:
        browser = f"{browser} {result.user_agent.major}"
    system = result.os.family if result.os else ""
    summary = f"{browser}{_ON}{system}" if system and system != "Other" else browser
    return summary[:USER_AGENT_SUMMARY_LENGTH]


def device_in_words(stored: str | None) -> str:
    """A stored summary ("Firefox 128 on Ubuntu") in the current language: the browser and
    system keep their names, the words around them are translated."""
    if not stored or stored == UNKNOWN_BROWSER:
        return gettext("Unknown browser")
    browser, on, system = stored.rpartition(_ON)
    if not on:
        return stored
    if browser == UNKNOWN_BROWSER:
        browser = gettext("Unknown browser")
    return gettext("%(browser)s on %(system)s", browser=browser, system=system)


def _stamp(user: User) -> str:
    return user.session_token or ""


def start_session(session: DbSession, user: User, user_agent: str | None, ip: str | None) -> str:
    """A new session row for a login; returns its id, which the cookies will carry."""
    row = UserSession(
        user_id=user.id,
        user_agent=describe_user_agent(user_agent),
        ip=(ip or "")[:IP_LENGTH],
        password_stamp=_stamp(user),
    )
    session.add(row)
    session.flush()
    user.login_session_id = row.id
    return row.id


def _is_live() -> tuple:
    """A session counts while it is not revoked and began under the current password."""
    return (
        UserSession.revoked_at.is_(None),
        UserSession.password_stamp == func.coalesce(User.session_token, ""),
        User.is_active.is_(True),
    )


def user_for_session(session: DbSession, session_id: str, ip: str | None = None) -> User | None:
    """The login loader's rule: the active person of a live session, in one statement with the
    bell's unread count, so no page spends a statement of its own on either. Every few minutes
    the session's last-seen time is written as well."""
    row = session.execute(
        select(User, UserSession.last_seen_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.id == session_id, *_is_live())
        .options(with_expression(User.unread_notifications, unread_count_of_loaded_user()))
    ).first()
    if row is None:
        return None
    user, last_seen_at = row
    user.login_session_id = session_id
    now = utcnow()
    if now - last_seen_at >= LAST_SEEN_EVERY:
        # On a connection of its own: committing the request's session would expire the user
        # just loaded (and its unread count) and could commit a view's half-made changes.
        # get_bind() may be a Connection or an Engine; either knows its Engine.
        with session.get_bind().engine.begin() as connection:
            connection.execute(
                update(UserSession)
                .where(UserSession.id == session_id)
                .values(last_seen_at=now, ip=(ip or "")[:IP_LENGTH])
            )
    return user


def has_any(session: DbSession, user_id: int) -> bool:
    """Whether this person ever logged in (any session, live or ended)."""
    found = session.scalar(select(UserSession.id).where(UserSession.user_id == user_id).limit(1))
    return found is not None


def revoke(session: DbSession, user_id: int, session_id: str) -> bool:
    """End one of this person's sessions; False if it was not theirs or already over."""
    result = execute_dml(
        session,
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow()),
    )
    return bool(result.rowcount)


def revoke_all_but(session: DbSession, user_id: int, keep_session_id: str | None) -> int:
    """End every session of this person except `keep_session_id`; how many ended."""
    statement = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep_session_id:
        statement = statement.where(UserSession.id != keep_session_id)
    return execute_dml(session, statement.values(revoked_at=utcnow())).rowcount or 0


def keep_after_password_change(session: DbSession, user: User, session_id: str) -> None:
    """A new password ends every session begun under the old one; this one goes on, and the
    others are marked revoked so the profile's list says so."""
    session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.user_id == user.id)
        .values(password_stamp=_stamp(user))
    )
    revoke_all_but(session, user.id, session_id)


def active_sessions(
    session: DbSession, user_id: int, current_id: str | None
) -> list[ActiveSession]:
    """This person's live sessions, the most recently seen first."""
    rows = session.execute(
        select(UserSession)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.user_id == user_id, *_is_live())
        .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
    ).scalars()
    return [
        ActiveSession(
            id=row.id,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            device=device_in_words(row.user_agent),
            ip=row.ip,
            is_current=row.id == current_id,
        )
        for row in rows
    ]
