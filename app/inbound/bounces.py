"""Bounces: delivery status notifications recognised, tied to their ledger row (VERP) or to
people by the failing address, and an address that bounces for good marked undeliverable."""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.database import DbSession, utcnow
from app.core.email.models import Delivery
from app.inbound.addresses import BOUNCE, InboundAddress
from app.inbound.bounce_rules import (
    AddressState,
    Failure,
    Severity,
    after_bounce,
    read_bounce,
    short_reason,
    worst,
)
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome

DETAIL_MAX = 1000


def handle_bounce(
    session: DbSession, message: EmailMessage, ours: list[InboundAddress], row: InboundMessage
) -> bool:
    """If `message` is a bounce, record it on `row` (kind, outcome, detail, delivery) and on
    the person, and say True; else False and touch nothing. Never commits: the caller does."""
    verp = next((a for a in ours if a.kind == BOUNCE), None)
    failures = read_bounce(message, addressed_to_bounce=verp is not None)
    if failures is None:
        return False
    row.kind = InboundKind.BOUNCE
    row.outcome = InboundOutcome.BOUNCE_RECORDED
    failure = worst(failures)
    if verp is not None and not verp.signed:
        row.detail = "A bounce to a bounce address whose token is not ours (forged or altered)."
        return True
    if failure is None:
        delayed = any(f.severity == Severity.DELAYED for f in failures)
        row.detail = (
            "Delivery is delayed; the receiving server is still trying. Not a failure."
            if delayed
            else "A delivery report that names no failed recipient."
        )
        if verp is not None:
            row.delivery_id = _delivery_id(session, verp)
        return True
    if verp is not None:
        people = _recipient_of(session, verp, row)
    else:
        people = _people_at(
            session, [f.address for f in failures if f.severity != Severity.DELAYED]
        )
    if not people:
        row.detail = _cut(f"{_words(failure)}; it matches nobody in Tickler.")
        return True
    limit = int(current_app.config["INBOUND_SOFT_BOUNCE_LIMIT"])
    now = utcnow()
    told = []
    for user in people:
        # Without VERP each person gets the failure reported for their own address.
        own = failure if verp is not None else _failure_for(failures, user.email) or failure
        before = AddressState(
            user.email_undeliverable_at, user.email_undeliverable_reason, user.email_soft_bounces
        )
        after = after_bounce(before, own, now, limit)
        user.email_undeliverable_at = after.undeliverable_at
        user.email_undeliverable_reason = after.reason
        user.email_soft_bounces = after.soft_bounces
        told.append(_effect(user, before, after, limit))
    row.user_id = people[0].id
    row.detail = _cut(f"{_words(failure)}. " + " ".join(told))
    return True


def _delivery_id(session: DbSession, verp: InboundAddress) -> int | None:
    return session.scalar(select(Delivery.id).where(Delivery.id == verp.delivery_id))


def _recipient_of(session: DbSession, verp: InboundAddress, row: InboundMessage) -> list[User]:
    """The person the bounced email was for, by its ledger row (one statement)."""
    found = session.execute(
        select(Delivery.id, User)
        .join(User, User.id == Delivery.recipient_id)
        # A row since deleted (its person removed) finds nobody: the bounce is still recorded.
        .where(Delivery.id == verp.delivery_id)
    ).first()
    if found is None:
        return []
    row.delivery_id = found[0]
    return [found[1]]


def _people_at(session: DbSession, addresses: list[str]) -> list[User]:
    """The people whose address is among `addresses`, compared without case (one statement)."""
    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return []
    return list(
        session.scalars(select(User).where(func.lower(User.email).in_(wanted)).order_by(User.id))
    )


def _failure_for(failures: list[Failure], email: str) -> Failure | None:
    return worst([f for f in failures if f.address == email.lower()])


def _words(failure: Failure) -> str:
    kind = "Hard bounce" if failure.severity == Severity.HARD else "Soft bounce"
    return f"{kind} for {failure.address or 'an unnamed recipient'}: {short_reason(failure)}"


def _effect(user: User, before: AddressState, after: AddressState, limit: int) -> str:
    if before.undeliverable_at is not None:
        return f"{user.email} was already marked undeliverable."
    if after.undeliverable_at is not None:
        return f"Stopped emailing {user.email}."
    return f"{user.email}: soft bounce {after.soft_bounces} of {limit}."


def _cut(text: str) -> str:
    return text[:DETAIL_MAX]
