"""What the database says is owed and no live job holds: found, so the sweep can queue it again.

The ledger is the truth, not the broker. A job the broker forgot (Redis restarted empty, a
publish that failed while it was down, a worker killed with its claims) leaves rows owed with
nothing coming for them; these queries find them by their `sweep_after` (a claim's lease, a
retry's countdown, a queued job's grace) and push that moment forward before anything is
queued, so two sweeps never queue one row twice and a failed publish is simply found again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, or_, select, tuple_, update

from app.core.database import DbSession
from app.core.email.ledger import OWED
from app.core.email.live_runs import holder_alive
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.digests.rules import chunked
from app.exports.models import Export, ExportStatus
from app.notifications.models import Notification

DIGEST_KINDS = [kind for kind in EmailKind if kind.is_digest]


@dataclass(frozen=True)
class DigestRequeue:
    """One send_digest_chunk call: its kind, the run's planning moment, and (user, period)s."""

    kind: EmailKind
    now_iso: str
    pairs: list[list]


@dataclass(frozen=True)
class Orphan:
    delivery_id: int
    recipient_id: int
    kind: EmailKind
    period: str
    planned_at: datetime


def orphaned_digests(session: DbSession, now: datetime, limit: int = 20_000) -> list[Orphan]:
    """Digest rows owed whose moment has passed: a job lost before it claimed them, a claim
    whose lease ran out (its worker died), a retry that was never published. Locked, skipping
    rows another sweep holds, so concurrent sweeps split the work instead of doubling it."""
    query = (
        select(Delivery.id, Delivery.recipient_id, Delivery.kind, Delivery.period)
        .add_columns(Delivery.created_at)
        .where(Delivery.kind.in_(DIGEST_KINDS), *owed_and_unheld(session, now))
        .order_by(Delivery.id)
        .limit(limit)
    )
    return [Orphan(*row) for row in session.execute(skipping_locked(session, query))]


def owed_and_unheld(session: DbSession, now: datetime) -> list[ColumnElement[bool]]:
    """A ledger row owed, its moment past, and no live run holding it."""
    return [
        Delivery.status.in_(OWED),
        or_(Delivery.sweep_after.is_(None), Delivery.sweep_after < now),
        not_held_by_live_run(session),
    ]


def skipping_locked(session: DbSession, query: Select[Any]) -> Select[Any]:
    """Rows locked, skipping those another sweep holds, so concurrent sweeps split the work."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def not_held_by_live_run(session: DbSession) -> ColumnElement[bool]:
    """SQL: the row is not a claim of a run still alive. A lease can lapse on a live sender (its
    heartbeat could not reach the database for a while); its rows are still not owed."""
    return or_(
        Delivery.status != DeliveryStatus.SENDING,
        ~holder_alive(session.get_bind().dialect.name, Delivery.claimed_by),
    )


def release(session: DbSession, delivery_ids: list[int], now: datetime, grace: timedelta) -> None:
    """Hand the orphans to whichever job comes next: a dead claim becomes a retry (so the new
    job may take it), and each row is left alone for `grace` while that job is on its way."""
    if not delivery_ids:
        return
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status.in_(OWED))
        .values(
            status=case(
                (Delivery.status == DeliveryStatus.SENDING, DeliveryStatus.RETRYING.value),
                else_=Delivery.status,
            ),
            claimed_by=None,
            sweep_after=now + grace,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def digest_requeues(orphans: list[Orphan], chunk_size: int) -> list[DigestRequeue]:
    """The chunks to queue: by kind and planning moment (the run's `now`, which decides what a
    digest lists), at most `chunk_size` people each."""
    groups: dict[tuple[EmailKind, datetime], list[list]] = defaultdict(list)
    for orphan in orphans:
        groups[(orphan.kind, orphan.planned_at)].append([orphan.recipient_id, orphan.period])
    return [
        DigestRequeue(kind, planned_at.isoformat(), chunk)
        for (kind, planned_at), pairs in sorted(groups.items(), key=lambda item: item[0][1])
        for chunk in chunked(pairs, chunk_size)
    ]


def activity_waiting(
    session: DbSession, now: datetime, older_than: timedelta, limit: int = 5_000
) -> list[tuple[int, int]]:
    """(user, task) pairs with events waiting to be emailed for longer than the batching
    window and a grace: their flush job was lost. The flush claims atomically, so a second
    one finds nothing."""
    rows = session.execute(
        select(Notification.user_id, Notification.task_id)
        .where(
            Notification.email_wanted.is_(True),
            Notification.emailed_at.is_(None),
            Notification.task_id.is_not(None),
            Notification.created_at < now - older_than,
        )
        .group_by(Notification.user_id, Notification.task_id)
        .limit(limit)
    )
    # task_id IS NOT NULL above; the check tells the type checker.
    return [(user_id, task_id) for user_id, task_id in rows if task_id is not None]


@dataclass(frozen=True)
class ActivityOrphan:
    delivery_id: int
    recipient_id: int
    task_id: int | None
    notification_ids: list[int]


def orphaned_activity(
    session: DbSession, now: datetime, limit: int = 5_000
) -> list[ActivityOrphan]:
    """Activity emails owed whose moment has passed: above all a claim whose sender died while
    sending, its events still marked taken, which `activity_waiting` cannot see. The row names
    its events (written with the claim). Locked like the digest rows."""
    query = (
        select(Delivery.id, Delivery.recipient_id, Delivery.reason)
        .where(Delivery.kind == EmailKind.TASK_ACTIVITY, *owed_and_unheld(session, now))
        .order_by(Delivery.id)
        .limit(limit)
    )
    return [
        ActivityOrphan(row_id, user_id, *events_named(reason))
        for row_id, user_id, reason in session.execute(skipping_locked(session, query))
    ]


def events_named(reason: dict | None) -> tuple[int | None, list[int]]:
    """The task and the events an activity row's reason names (none for a row claimed before
    rows named their events)."""
    reason = reason or {}
    task_ids = [int(t) for t in reason.get("task_ids", []) if str(t).isdigit()]
    events = [int(n) for n in reason.get("notification_ids", []) if str(n).isdigit()]
    return (task_ids[0] if task_ids else None), events


def release_activity(
    session: DbSession, orphans: list[ActivityOrphan], now: datetime, grace: timedelta
) -> list[tuple[int, int]]:
    """Give abandoned activity emails' events back to the batching job and let the dead claims
    go; the (user, task) pairs to flush again. The flush takes the events back under the same
    first event, so the same ledger row and Message-ID. A row whose events are all gone (the
    task deleted meanwhile) is owed nothing: it ends skipped, so no sweep finds it again."""
    if not orphans:
        return []
    release(session, [o.delivery_id for o in orphans], now, grace)
    mine = [(o.recipient_id, n) for o in orphans for n in o.notification_ids]
    alive: set[tuple[int, int]] = set()
    if mine:
        alive = {
            (user_id, notification_id)
            for user_id, notification_id in session.execute(
                update(Notification)
                .where(tuple_(Notification.user_id, Notification.id).in_(mine))
                .values(emailed_at=None)
                .returning(Notification.user_id, Notification.id)
                .execution_options(synchronize_session=False)
            )
        }
    gone = [
        o.delivery_id
        for o in orphans
        if o.task_id is None or not any((o.recipient_id, n) in alive for n in o.notification_ids)
    ]
    if gone:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(gone))
            .values(status=DeliveryStatus.SKIPPED, sweep_after=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return sorted(
        {(o.recipient_id, o.task_id) for o in orphans if o.task_id and o.delivery_id not in gone}
    )


def exports_waiting(session: DbSession, now: datetime, older_than: timedelta) -> list[int]:
    """Exports still queued long after they were asked for; the run claims them atomically."""
    return list(
        session.scalars(
            select(Export.id).where(
                Export.status == ExportStatus.QUEUED, Export.created_at < now - older_than
            )
        )
    )
