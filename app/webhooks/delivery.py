"""Delivering a webhook: claim an attempt once, judge the answer, schedule the retry, sweep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update

from app.core.database import DbSession, execute_dml
from app.webhooks.http import HttpResult
from app.webhooks.models import WebhookDelivery, WebhookStatus

# A delivery still "sending" after this long belongs to a worker that died mid-request.
STALE_SENDING_AFTER = timedelta(minutes=10)
# A delivery still "pending" this long after it was written was never queued (broker down).
UNQUEUED_AFTER = timedelta(minutes=1)
CLAIMABLE = (WebhookStatus.PENDING, WebhookStatus.RETRYING)


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: int
    max_seconds: int
    max_attempts: int


@dataclass(frozen=True)
class Verdict:
    status: WebhookStatus
    retry_in: int | None = None


def judge(result: HttpResult, attempts: int, policy: RetryPolicy) -> Verdict:
    """Delivered on 2xx; retried with backoff on 5xx, 429 and network errors; failed otherwise."""
    if result.status is not None and 200 <= result.status < 300:
        return Verdict(WebhookStatus.DELIVERED)
    transient = result.status is None or result.status == 429 or result.status >= 500
    if not transient or attempts >= policy.max_attempts:
        return Verdict(WebhookStatus.FAILED)
    return Verdict(WebhookStatus.RETRYING, backoff(attempts, policy, result.retry_after))


def backoff(attempts: int, policy: RetryPolicy, retry_after: int | None = None) -> int:
    """Seconds before the next attempt: doubling from the base, capped; Retry-After if longer."""
    delay = min(policy.base_seconds * 2 ** max(attempts - 1, 0), policy.max_seconds)
    if retry_after is not None:
        delay = max(delay, min(retry_after, policy.max_seconds))
    return delay


def claim(session: DbSession, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take one attempt of a delivery, atomically; None if delivered, failed or being sent."""
    claimed = session.scalar(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            or_(
                WebhookDelivery.status.in_(CLAIMABLE),
                _stale_sending(now),
            ),
        )
        .values(
            status=WebhookStatus.SENDING,
            attempts=WebhookDelivery.attempts + 1,
            attempted_at=now,
            updated_at=now,
        )
        .returning(WebhookDelivery.id)
    )
    if claimed is None:
        return None
    return session.get(WebhookDelivery, delivery_id, populate_existing=True)


def _stale_sending(now: datetime):  # noqa: ANN202
    return and_(
        WebhookDelivery.status == WebhookStatus.SENDING,
        WebhookDelivery.attempted_at < now - STALE_SENDING_AFTER,
    )


def record(
    delivery: WebhookDelivery,
    result: HttpResult | None,
    verdict: Verdict,
    now: datetime,
    error: str | None = None,
) -> None:
    delivery.status = verdict.status
    delivery.updated_at = now
    delivery.next_attempt_at = (
        now + timedelta(seconds=verdict.retry_in) if verdict.retry_in is not None else None
    )
    if result is not None:
        delivery.response_code = result.status
        delivery.response_excerpt = result.excerpt
        delivery.duration_ms = result.duration_ms
        error = error or result.error or _status_error(result.status)
    delivery.last_error = error[:500] if error else None
    if verdict.status == WebhookStatus.DELIVERED:
        delivery.delivered_at = now


def _status_error(status: int | None) -> str | None:
    if status is None or 200 <= status < 300:
        return None
    return f"answered HTTP {status}"


def due_for_retry(session: DbSession, now: datetime, limit: int = 500) -> list[int]:
    """Deliveries to send again: retries whose time has come, unqueued ones, stale claims."""
    return list(
        session.scalars(
            select(WebhookDelivery.id)
            .where(
                or_(
                    and_(
                        WebhookDelivery.status == WebhookStatus.RETRYING,
                        WebhookDelivery.next_attempt_at <= now,
                    ),
                    and_(
                        WebhookDelivery.status == WebhookStatus.PENDING,
                        WebhookDelivery.created_at < now - UNQUEUED_AFTER,
                    ),
                    _stale_sending(now),
                )
            )
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
    )


def delete_older_than(session: DbSession, now: datetime, days: int) -> int:
    """Forget deliveries older than `days`; one statement."""
    result = execute_dml(
        session,
        delete(WebhookDelivery)
        .where(WebhookDelivery.created_at < now - timedelta(days=days))
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


def deliveries_page(
    session: DbSession, subscription_id: int, page: int, per_page: int
) -> tuple[list[WebhookDelivery], bool]:
    """One page of the log, newest first, and whether there is another."""
    rows = list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
    )
    return rows[:per_page], len(rows) > per_page
