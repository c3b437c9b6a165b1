"""Signed, expiring, single-use links for account emails: password reset, email verification.

Single use without a table: each token carries a fingerprint of the state it changes (the
password hash, the unverified address), so once used, that state is gone and so is the token.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User

PASSWORD_RESET = "password-reset"
EMAIL_VERIFICATION = "email-verification"
# The address bounced for good: the link confirms it works again, and emails resume.
ADDRESS_RESUME = "address-resume"
MAX_AGE = {PASSWORD_RESET: 3600, EMAIL_VERIFICATION: 7 * 24 * 3600, ADDRESS_RESUME: 7 * 24 * 3600}
# An account email with no link of its own: someone tried to register with a taken address.
ALREADY_REGISTERED = "already-registered"
# Nor does the notice that the password was changed (by the profile page or a reset link).
PASSWORD_CHANGED = "password-changed"


class TokenError(ValueError):
    """The link is altered, expired, already used, or for another purpose."""


@dataclass(frozen=True)
class TokenClaim:
    user_id: int
    fingerprint: str


def fingerprint(purpose: str, user: User) -> str:
    if purpose == PASSWORD_RESET:
        state = user.password_hash
    elif purpose == ADDRESS_RESUME:
        # Used once: resuming clears the date; a later bounce sets a new one.
        stopped = user.email_undeliverable_at
        state = f"{user.email}|{stopped.isoformat() if stopped else ''}"
    else:
        state = f"{user.email}|{user.email_verified_at is not None}"
    return _digest(purpose, state)


def _digest(purpose: str, state: str) -> str:
    return hashlib.sha256(f"{purpose}|{state}".encode()).hexdigest()[:32]


def issue(secret_key: str, purpose: str, user: User) -> str:
    serializer = URLSafeTimedSerializer(secret_key, salt=f"tickler-{purpose}")
    return serializer.dumps({"u": user.id, "f": fingerprint(purpose, user)})


def read(secret_key: str, purpose: str, token: str) -> TokenClaim:
    serializer = URLSafeTimedSerializer(secret_key, salt=f"tickler-{purpose}")
    try:
        data = serializer.loads(token, max_age=MAX_AGE[purpose])
        return TokenClaim(int(data["u"]), str(data["f"]))
    except SignatureExpired:
        raise TokenError(gettext("This link has expired. Ask for a new one.")) from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise TokenError(gettext("This link is not valid. Ask for a new one.")) from None


def redeem(secret_key: str, purpose: str, token: str, user: User | None) -> User:
    """The user the token is for, if it is still unused; TokenError otherwise."""
    claim = read(secret_key, purpose, token)
    if user is None or user.id != claim.user_id or not user.is_active:
        raise TokenError(gettext("This link is not valid. Ask for a new one."))
    if fingerprint(purpose, user) != claim.fingerprint:
        raise TokenError(gettext("This link has already been used. Ask for a new one."))
    return user


def already_confirmed(secret_key: str, token: str, user: User | None) -> bool:
    """True when `token` is a confirmation link for `user`'s current address that was used:
    the address is confirmed now, and the link was issued while it was not."""
    claim = read(secret_key, EMAIL_VERIFICATION, token)
    if user is None or user.id != claim.user_id or user.email_verified_at is None:
        return False
    return _digest(EMAIL_VERIFICATION, f"{user.email}|False") == claim.fingerprint
