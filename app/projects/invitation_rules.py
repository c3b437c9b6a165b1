"""Pure rules of project invitations: their state, their tokens, who may accept one."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext, lazy_gettext

# As Plane and GitHub do: long enough for a holiday, short enough that old links die.
INVITATION_LIFETIME = timedelta(days=14)


class InvitationState(enum.StrEnum):
    UNSENT = "unsent"
    PENDING = "pending"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    REVOKED = "revoked"


@dataclass(frozen=True)
class InvitationFacts:
    """What the state depends on, copied from the row."""

    token_hash: str | None
    expires_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None


def state_of(facts: InvitationFacts, now: datetime) -> InvitationState:
    """Accepted and revoked are final; otherwise pending until it expires (unsent before the
    worker first mints its link)."""
    if facts.accepted_at is not None:
        return InvitationState.ACCEPTED
    if facts.revoked_at is not None:
        return InvitationState.REVOKED
    if facts.token_hash is None or facts.expires_at is None:
        return InvitationState.UNSENT
    if facts.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


CLOSED_MESSAGES = {
    InvitationState.ACCEPTED: lazy_gettext("This invitation has already been accepted."),
    InvitationState.REVOKED: lazy_gettext("This invitation was withdrawn by the project's owner."),
    InvitationState.EXPIRED: lazy_gettext(
        "This invitation has expired. Ask the project's owner to send it again."
    ),
    InvitationState.UNSENT: lazy_gettext("This invitation link is not valid."),
}


def new_token() -> str:
    """256 random bits for the link."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored: a random token needs no slow hash, only one that cannot be reversed."""
    return hashlib.sha256(token.encode()).hexdigest()


def acceptance_problem(*, invited: str, account_email: str, account_confirmed: bool) -> str | None:
    """Why this person may not accept, in words, or None: only the owner of the invited
    address, proved by a confirmed address, joins through its link."""
    if account_email.strip().lower() != invited:
        return gettext(
            "This invitation was sent to %(invited)s, and you are logged in as %(account)s. "
            "Log out, then log in (or sign up) with %(invited)s to accept it.",
            invited=invited,
            account=account_email,
        )
    if not account_confirmed:
        return gettext(
            "Confirm %(invited)s first: open the confirmation link we emailed you "
            "(your profile can send a new one), then accept the invitation.",
            invited=invited,
        )
    return None
