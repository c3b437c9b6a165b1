"""Signing up, signing in and keeping a profile."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from flask_babel import gettext
from sqlalchemy import ColumnExpressionArgument, ScalarSelect, func, select
from werkzeug import security

from app.accounts import password_rules, tokens
from app.accounts.models import PASSWORD_METHOD, User
from app.core.database import DbSession
from app.core.errors import RuleViolation
from app.core.i18n import is_language, language_from_browser
from app.core.timezones import is_valid_timezone

MIN_PASSWORD_LENGTH = password_rules.MIN_PASSWORD_LENGTH


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@dataclass(frozen=True)
class Registration:
    """What a sign-up led to: whom to email and which email."""

    user_id: int
    email_purpose: str
    created: bool


def register_or_notify(
    session: DbSession,
    *,
    email: str,
    name: str,
    password: str,
    timezone: str = "UTC",
    language: str | None = None,
) -> Registration:
    """Create an account, or, for an address that has one, name the owner to be told that
    someone tried; the caller answers both alike. The password is checked and hashed either
    way, so both take the same time. PasswordRuleViolation or RuleViolation for bad values."""
    check_password_rules(password, email=email, name=name)
    if not is_valid_timezone(timezone):
        raise RuleViolation(gettext("%(zone)s is not a timezone we know.", zone=repr(timezone)))
    password_hash = security.generate_password_hash(password, method=PASSWORD_METHOD)
    existing = find_user_by_email(session, email)
    if existing is not None:
        return Registration(existing.id, tokens.ALREADY_REGISTERED, created=False)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        timezone=timezone,
        language=_language_or_browser(language),
    )
    user.set_password_hash(password_hash)
    session.add(user)
    session.flush()
    return Registration(user.id, tokens.EMAIL_VERIFICATION, created=True)


def register_user(
    session: DbSession,
    *,
    email: str,
    name: str,
    password: str,
    timezone: str = "UTC",
    language: str | None = None,
) -> User:
    """Create an account directly (the command line, demo data); RuleViolation if the address
    is taken or a value is unusable."""
    if find_user_by_email(session, email) is not None:
        raise RuleViolation(gettext("An account with that email address already exists."))
    check_password_rules(password, email=email, name=name)
    if not is_valid_timezone(timezone):
        raise RuleViolation(gettext("%(zone)s is not a timezone we know.", zone=repr(timezone)))
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        timezone=timezone,
        language=_language_or_browser(language),
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


@cache
def _dummy_password_hash() -> str:
    """A hash of nothing anyone types, checked when the address has no account so that the
    answer takes as long as for one that has."""
    return security.generate_password_hash(secrets.token_urlsafe(16), method=PASSWORD_METHOD)


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same answer, after the same one
    password check, for every failure."""
    user = find_user_by_email(session, email)
    stored = user.password_hash if user is not None else _dummy_password_hash()
    matches = security.check_password_hash(stored, password)
    if user is None or not user.is_active or not matches:
        return None
    return user


class PasswordRuleViolation(RuleViolation):
    """The password itself is unusable: too short, too common, or the person's own name."""


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """NIST SP 800-63B: at least 8 characters, not a commonly used password, not the
    account's own address or name."""
    problem = password_rules.password_problem(password, email=email, name=name)
    if problem:
        raise PasswordRuleViolation(problem)


def update_profile(user: User, *, name: str, timezone: str, language: str | None = None) -> None:
    if not is_valid_timezone(timezone):
        raise RuleViolation(gettext("%(zone)s is not a timezone we know.", zone=repr(timezone)))
    if language is not None and not is_language(language):
        raise RuleViolation(gettext("Choose a language from the list."))
    user.name = name.strip()
    user.timezone = timezone
    if language is not None:
        user.language = language


def _language_or_browser(language: str | None) -> str:
    """A new account reads Tickler in the language asked for, else its browser's (the
    request's Accept-Language; English outside a request: the command line, demo data)."""
    return language if language and is_language(language) else language_from_browser()


def change_password(user: User, *, current: str, new: str) -> None:
    if not user.check_password(current):
        raise RuleViolation(gettext("Your current password is not right."))
    check_password_rules(new, email=user.email, name=user.name)
    user.set_password(new)


def name_of(user_id: ColumnExpressionArgument[int | None]) -> ScalarSelect[str]:
    """A person's name as a correlated subquery, not a join: PostgreSQL then looks up only the
    rows a LIMIT keeps, where a join to users hashed the whole table (4.8 ms at 10,000 people,
    growing with them, for a 25-row page)."""
    return select(User.name).where(User.id == user_id).scalar_subquery()


def resume_emailing(user: User) -> None:
    """The person confirmed their address (again): it counts as deliverable, bounces forgotten."""
    user.email_undeliverable_at = None
    user.email_undeliverable_reason = None
    user.email_soft_bounces = 0


# Admins see at most this many bouncing addresses in a list (the Outbox, the daily report).
UNDELIVERABLE_LISTED = 50


def undeliverable_people(session: DbSession, limit: int = UNDELIVERABLE_LISTED) -> list[User]:
    """Active people whose address bounced for good, most recent first: one statement."""
    return list(
        session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.email_undeliverable_at.is_not(None))
            .order_by(User.email_undeliverable_at.desc(), User.id)
            .limit(limit)
        )
    )
