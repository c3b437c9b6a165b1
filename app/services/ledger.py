"""The delivery ledger: claim a row before sending, record what happened after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, tuple_, update

from app.models import Delivery, DeliveryStatus, EmailKind
from app.models.base import DbSession
from app.plurals import plural
from app.services.inserts import insert_ignoring_duplicates

# A claim older than this belongs to a worker that died without its job being redelivered.
STALE_CLAIM_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 5
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    recipient_id: int
    period: str
    message_id: str | None
    attempts: int


def ensure_rows(
    session: DbSession, kind: EmailKind, pairs: list[tuple[int, str]], now: datetime
) -> None:
    """Create the pending rows that do not exist yet; the unique key makes this race-free."""
    if not pairs:
        return
    statement = insert_ignoring_duplicates(session, Delivery, ["recipient_id", "kind", "period"])
    session.execute(
        statement,
        [
            {
                "recipient_id": user_id,
                "kind": kind,
                "period": period,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
            for user_id, period in pairs
        ],
    )


def claim(
    session: DbSession,
    kind: EmailKind,
    pairs: list[tuple[int, str]],
    token: str | None,
    now: datetime,
) -> list[Claimed]:
    """Take the rows this job may send, atomically: pending or retrying ones, ones this same job
    held before it was redelivered, and ones whose claimant died long ago. Nobody else's.

    A row that has used up MAX_ATTEMPTS is failed in the same statement instead: a job that
    kills its worker every time (and so is redelivered for ever) stops sending at the cap."""
    ensure_rows(session, kind, pairs, now)
    claimable = or_(
        Delivery.status.in_(CLAIMABLE),
        and_(
            Delivery.status == DeliveryStatus.SENDING,
            or_(Delivery.claimed_by == token, Delivery.claimed_at < now - STALE_CLAIM_AFTER),
        ),
    )
    exhausted = Delivery.attempts >= MAX_ATTEMPTS
    rows = session.execute(
        update(Delivery)
        .where(
            Delivery.kind == kind,
            # Exactly these pairs: a chunk can span two local days, and another job's row
            # for (this person, the other day) is not ours to take.
            tuple_(Delivery.recipient_id, Delivery.period).in_(pairs),
            claimable,
        )
        .values(
            status=case(
                (exhausted, DeliveryStatus.FAILED.value), else_=DeliveryStatus.SENDING.value
            ),
            claimed_by=case((exhausted, None), else_=token),
            claimed_at=now,
            attempts=case((exhausted, Delivery.attempts), else_=Delivery.attempts + 1),
            last_error=case(
                (exhausted, f"gave up after {MAX_ATTEMPTS} attempts (redelivered too often)"),
                else_=Delivery.last_error,
            ),
            updated_at=now,
        )
        .returning(
            Delivery.id,
            Delivery.recipient_id,
            Delivery.period,
            Delivery.message_id,
            Delivery.attempts,
            Delivery.status,
        )
        .execution_options(synchronize_session=False)
    ).all()
    return [Claimed(*row[:5]) for row in rows if row[5] == DeliveryStatus.SENDING]


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery."""

    delivery_id: int
    status: DeliveryStatus
    message_id: str | None = None
    error: str | None = None
    reason: dict | None = None


def record(session: DbSession, outcomes: list[Outcome], now: datetime) -> None:
    """Write every outcome in one statement."""
    if not outcomes:
        return
    session.execute(
        update(Delivery),
        [
            {
                "id": outcome.delivery_id,
                "status": outcome.status,
                "message_id": outcome.message_id,
                "last_error": outcome.error,
                "reason": outcome.reason,
                "sent_at": now if outcome.status == DeliveryStatus.SENT else None,
                "claimed_by": None,
                "updated_at": now,
            }
            for outcome in outcomes
        ],
    )


def failed_deliveries(session: DbSession, limit: int = 200) -> list[Delivery]:
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.status == DeliveryStatus.FAILED)
            .order_by(Delivery.updated_at.desc())
            .limit(limit)
        )
    )


def reopen_for_resend(session: DbSession, delivery_id: int, now: datetime) -> Delivery | None:
    """Put a failed delivery back in line, with a fresh allowance of attempts."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.FAILED:
        return None
    delivery.status = DeliveryStatus.RETRYING
    delivery.attempts = 0
    delivery.updated_at = now
    return delivery


def outcome_for(
    claimed: Claimed, sent: str, message_id: str, error: str | None, reason: dict | None
) -> Outcome:
    """Map a send result ('sent', 'transient', 'permanent') to the ledger's next state."""
    if sent == "sent":
        return Outcome(claimed.delivery_id, DeliveryStatus.SENT, message_id, None, reason)
    if sent == "transient" and claimed.attempts < MAX_ATTEMPTS:
        return Outcome(claimed.delivery_id, DeliveryStatus.RETRYING, message_id, error, reason)
    if sent == "transient":
        error = f"gave up after {plural(claimed.attempts, 'attempt')}: {error}"
    return Outcome(claimed.delivery_id, DeliveryStatus.FAILED, message_id, error, reason)


def skipped(claimed: Claimed) -> Outcome:
    return Outcome(claimed.delivery_id, DeliveryStatus.SKIPPED, claimed.message_id, None, None)
