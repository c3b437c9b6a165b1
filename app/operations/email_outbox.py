"""The Outbox: every email in the delivery ledger, why its recipient got it, and resending it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.core.database import DbSession, utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.paging import PageLinks, page_within
from app.core.periods import activity_first_id, period_in_words
from app.notifications import service as notifications
from app.notifications.models import Notification
from app.operations.owed_work import owed_and_unheld
from app.tasklist.models import Task

PER_PAGE = 50
MAX_SEARCH_LENGTH = 200
# Each delivery status as the Outbox says it.
DELIVERY_STATUS_LABELS = {
    DeliveryStatus.PENDING.value: lazy_gettext("Pending"),
    DeliveryStatus.SENDING.value: lazy_gettext("Sending"),
    DeliveryStatus.RETRYING.value: lazy_gettext("Retrying"),
    DeliveryStatus.SENT.value: lazy_gettext("Sent"),
    DeliveryStatus.FAILED.value: lazy_gettext("Failed"),
    DeliveryStatus.SKIPPED.value: lazy_gettext("Skipped"),
}


@dataclass(frozen=True)
class OutboxFilters:
    recipient: str = ""
    kind: EmailKind | None = None
    status: DeliveryStatus | None = None


def parse_filters(args: dict[str, str]) -> tuple[OutboxFilters, list[str]]:
    """Filters from the query string; an unknown kind or status is dropped with a message."""
    problems = []
    recipient = (args.get("recipient") or "").strip()[:MAX_SEARCH_LENGTH]
    kind = status = None
    if args.get("kind"):
        try:
            kind = EmailKind(args["kind"])
        except ValueError:
            problems.append(
                gettext(
                    "There is no kind of email called “%(kind)s”; showing all.", kind=args["kind"]
                )
            )
    if args.get("status"):
        try:
            status = DeliveryStatus(args["status"])
        except ValueError:
            problems.append(
                gettext(
                    "There is no status called “%(status)s”; showing all.", status=args["status"]
                )
            )
    return OutboxFilters(recipient, kind, status), problems


@dataclass(frozen=True)
class OutboxPage(PageLinks):
    rows: list[Delivery]
    total: int
    page: int
    per_page: int
    task_titles: dict[int, str] = field(default_factory=dict)
    # Each row's period in words, by delivery id: "Reminder for Mon 7 Dec 2026".
    period_words: dict[int, str] = field(default_factory=dict)
    # Rows still marked "sending" whose sender is gone (lease lapsed, no live run): the sweep
    # will queue them again, so they read as waiting, not as sending.
    waiting_ids: set[int] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return page_within(self.page, self.total, self.per_page)[1]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def outbox_page(
    session: DbSession,
    filters: OutboxFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
    timezone: str = "UTC",
    now: datetime | None = None,
) -> OutboxPage:
    """One page of the ledger, newest first, in at most four queries whatever the page holds:
    the count, the rows with their recipients, the titles of the tasks they listed, and when
    the activity emails' events began (periods are shown in words, times in `timezone`). A
    "sending" row whose claim lapsed by `now` is listed in `waiting_ids`."""
    conditions = []
    if filters.recipient:
        pattern = _like(filters.recipient)
        conditions.append(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.name).like(pattern, escape="\\"),
            )
        )
    if filters.kind is not None:
        conditions.append(Delivery.kind == filters.kind)
    if filters.status is not None:
        conditions.append(Delivery.status == filters.status)
    total = session.scalar(
        select(func.count(Delivery.id)).join(Delivery.recipient).where(*conditions)
    )
    page, _ = page_within(page, total or 0, per_page)
    found = session.execute(
        select(Delivery, claim_lapsed(session, now or utcnow()))
        .join(Delivery.recipient)
        .options(contains_eager(Delivery.recipient))
        .where(*conditions)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    rows = [delivery for delivery, _ in found]
    waiting = {delivery.id for delivery, lapsed in found if lapsed}
    task_ids = {task_id for row in rows for task_id in reason_task_ids(row.reason)}
    titles = (
        dict(session.execute(select(Task.id, Task.title).where(Task.id.in_(task_ids))).all())
        if task_ids
        else {}
    )
    return OutboxPage(
        rows,
        total or 0,
        page,
        per_page,
        titles,
        periods_in_words(session, rows, timezone),
        waiting,
    )


def claim_lapsed(session: DbSession, now: datetime) -> ColumnElement[bool]:
    """SQL: a "sending" row the owed-work sweep would take (the same condition, so the page
    and the sweep never disagree): its lease ran out and no live run holds it."""
    return and_(Delivery.status == DeliveryStatus.SENDING, *owed_and_unheld(session, now))


def waiting_note(sweep_seconds: int) -> str:
    """Why a lapsed claim waits, under its badge. Workers sweep every `sweep_seconds` (0: only
    beat's sweep, each minute), and the sweep queues the row again at once."""
    minutes = max(1, math.ceil((sweep_seconds or 60) / 60))
    return ngettext(
        "Its worker stopped; sent again within %(num)d minute.",
        "Its worker stopped; sent again within %(num)d minutes.",
        minutes,
    )


def periods_in_words(session: DbSession, rows: list[Delivery], timezone: str) -> dict[int, str]:
    """Each delivery's period in words; one query for the activity emails' first events."""
    first_ids = {row.id: activity_first_id(row.period) for row in rows}
    wanted = {n for n in first_ids.values() if n is not None}
    started = (
        dict(
            session.execute(
                select(Notification.id, Notification.created_at).where(Notification.id.in_(wanted))
            ).all()
        )
        if wanted
        else {}
    )
    return {
        row.id: period_in_words(
            row.kind,
            row.period,
            timezone,
            started.get(first_ids[row.id] or 0),
            len((row.reason or {}).get("events", [])),
        )
        for row in rows
    }


def reason_task_ids(reason: dict | None) -> list[int]:
    """The task ids a stored reason lists (older rows called them "tasks")."""
    if not reason:
        return []
    ids = reason.get("task_ids", reason.get("tasks", []))
    return [int(task_id) for task_id in ids if str(task_id).isdigit()]


def reopen_activity(session: DbSession, delivery: Delivery) -> tuple[int, int] | None:
    """Give a failed activity email's events back to the batching job; returns the (user id,
    task id) to flush again, or None if the stored reason does not say which task it was."""
    task_ids = reason_task_ids(delivery.reason)
    if not task_ids:
        return None
    notification_ids = [int(i) for i in (delivery.reason or {}).get("notification_ids", [])]
    notifications.release(session, notification_ids)
    return delivery.recipient_id, task_ids[0]
