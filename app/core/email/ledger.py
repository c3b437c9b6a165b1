"""The delivery ledger: claim a row before sending, record what happened after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, tuple_, update

from app.core.database import DbSession, execute_dml
from app.core.email.live_runs import holder_alive
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.inserts import insert_ignoring_duplicates

# Attempts count refusals of the recipient's own message (and claims a killed job never gave
# back), not a connection the server dropped: at 20 % of messages refused, ten in a row for
# one person is a one-in-ten-million chance.
MAX_ATTEMPTS = 10
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
OWED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)
# A claim lives this long unless its sender's heartbeat renews it (DELIVERY_LEASE_SECONDS).
DEFAULT_LEASE = timedelta(seconds=90)
# A queued job (or a retry's countdown) may start this late before the sweep queues it again.
QUEUED_GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    recipient_id: int
    period: str
    message_id: str | None
    attempts: int


def ensure_rows(
    session: DbSession,
    kind: EmailKind,
    pairs: list[tuple[int, str]],
    now: datetime,
    grace: timedelta = QUEUED_GRACE,
) -> None:
    """Create the pending rows that do not exist yet; the unique key makes this race-free.

    A planned row is owed from now on: if its job never comes (the broker lost it), the sweep
    queues it again once `grace` has passed."""
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
                "sweep_after": now + grace,
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
    token: str,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
) -> list[Claimed]:
    """Take the rows this job may send, atomically: pending or retrying ones, ones this same job
    held before it was redelivered, and ones whose claimant's lease ran out and whose run is
    dead (its lock free, `live_runs`). Nobody else's. The claim holds for `lease`; the sender
    renews it (`extend_lease`) while it works.

    The caller holds `token`'s run lock (`live_runs.run_held`): then any other execution that
    held these rows under the same token is dead, never a copy still sending alongside.

    A row that has used up MAX_ATTEMPTS is failed in the same statement instead: a job that
    kills its worker every time (and so is redelivered for ever) stops sending at the cap."""
    ensure_rows(session, kind, pairs, now)
    claimable = or_(
        Delivery.status.in_(CLAIMABLE),
        and_(
            Delivery.status == DeliveryStatus.SENDING,
            or_(
                Delivery.claimed_by == token,
                and_(
                    or_(Delivery.sweep_after.is_(None), Delivery.sweep_after < now),
                    ~holder_alive(session.get_bind().dialect.name, Delivery.claimed_by),
                ),
            ),
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
            sweep_after=case((exhausted, None), else_=now + lease),
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
    # The row's attempts after this outcome: the claim's count, or one less when the message
    # was never tried (the server hung up before it), so nobody pays for the server's trouble.
    attempts: int
    status: DeliveryStatus
    message_id: str | None = None
    error: str | None = None
    reason: dict | None = None


def record(
    session: DbSession,
    outcomes: list[Outcome],
    now: datetime,
    retry_in: float = 0.0,
    grace: timedelta = QUEUED_GRACE,
) -> None:
    """Write every outcome in one statement. A retrying row is owed again after `retry_in`
    seconds (the job's countdown): past that and `grace`, the sweep queues it if nobody has."""
    retry_at = now + timedelta(seconds=retry_in) + grace
    if not outcomes:
        return
    session.execute(
        update(Delivery),
        [
            {
                "id": outcome.delivery_id,
                "status": outcome.status,
                "attempts": outcome.attempts,
                "sweep_after": retry_at if outcome.status == DeliveryStatus.RETRYING else None,
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


def note_reason(session: DbSession, delivery_id: int, reason: dict) -> None:
    """Say on a claimed row what it is about before sending, so whoever finds it abandoned
    knows what to give back (an activity email's events)."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(reason=reason)
        .execution_options(synchronize_session=False)
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
    delivery.sweep_after = now + QUEUED_GRACE  # queued by the caller; swept if that is lost
    delivery.updated_at = now
    return delivery


def outcome_for(
    claimed: Claimed,
    sent: str,
    message_id: str,
    error: str | None,
    reason: dict | None,
    tried: bool = True,
) -> Outcome:
    """Map a send result ('sent', 'transient', 'permanent') to the ledger's next state; an
    untried message is given its attempt back and waits, whatever its count."""
    row, attempts = claimed.delivery_id, claimed.attempts
    if sent == "sent":
        return Outcome(row, attempts, DeliveryStatus.SENT, message_id, None, reason)
    if sent == "transient" and not tried:
        return Outcome(row, attempts - 1, DeliveryStatus.RETRYING, message_id, error, reason)
    if sent == "transient" and attempts < MAX_ATTEMPTS:
        return Outcome(row, attempts, DeliveryStatus.RETRYING, message_id, error, reason)
    if sent == "transient":
        # Stored in the ledger beside the mail server's own (English) error: a record for
        # admins, not a sentence of the interface.
        noun = "attempt" if attempts == 1 else "attempts"
        error = f"gave up after {attempts} {noun}: {error}"  # i18n: internal
    return Outcome(row, attempts, DeliveryStatus.FAILED, message_id, error, reason)


def skipped(claimed: Claimed) -> Outcome:
    return Outcome(
        claimed.delivery_id,
        claimed.attempts,
        DeliveryStatus.SKIPPED,
        claimed.message_id,
        None,
        None,
    )


def extend_lease(session: DbSession, token: str, now: datetime, lease: timedelta) -> int:
    """The sender's heartbeat: its claims hold for another `lease`; how many it holds."""
    result = execute_dml(
        session,
        update(Delivery)
        .where(Delivery.claimed_by == token, Delivery.status == DeliveryStatus.SENDING)
        .values(sweep_after=now + lease)
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0
