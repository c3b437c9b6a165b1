"""Limits per account, beside Flask-Limiter's per client address: failed logins against one
account and emails sent to one address are counted whatever address the requests come from,
in the same store (Redis in production), under keys that hold a hash, never the address."""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import RateLimitItem, parse

from app.accounts.service import normalise_email
from app.extensions import limiter

# Which setting limits which count.
LOGIN_FAILURES = "LOGIN_ACCOUNT_RATE_LIMIT"
ACCOUNT_EMAILS = "ACCOUNT_EMAIL_RATE_LIMIT"


def _item(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def _key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


def account_blocked(setting: str, email: str) -> bool:
    """True when this account has used up its allowance for `setting`."""
    return not limiter.limiter.test(_item(setting), "account", setting, _key(email))


def count_for_account(setting: str, email: str) -> bool:
    """Count one against the account; False if it was already used up."""
    return limiter.limiter.hit(_item(setting), "account", setting, _key(email))


def clear_account(setting: str, email: str) -> None:
    """Forget the count: the owner proved themselves (e.g. through an emailed reset link)."""
    limiter.limiter.clear(_item(setting), "account", setting, _key(email))


def minutes_of(setting: str) -> int:
    """The window of a limit in whole minutes, for messages."""
    return max(1, _item(setting).get_expiry() // 60)
