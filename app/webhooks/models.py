"""Webhooks: a project's subscriptions and the log of every delivery attempt."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext, ngettext
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin, UTCDateTime, string_enum
from app.projects.models import Project

WEBHOOK_EVENTS = (
    "task.created",
    "task.updated",
    "task.completed",
    "task.assigned",
    "task.deleted",
    "task.restored",
    "comment.created",
)
URL_MAX_LENGTH = 2000


class WebhookSubscription(TimestampMixin, Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(URL_MAX_LENGTH))
    # The shared secret the receiver verifies signatures with; shown to project owners only.
    secret: Mapped[str] = mapped_column(String(64))
    # Space-separated event names from WEBHOOK_EVENTS.
    events: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    project: Mapped[Project] = relationship()

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self.value])


_STATUS_LABELS = {
    "pending": lazy_gettext("pending"),
    "sending": lazy_gettext("sending"),
    "retrying": lazy_gettext("retrying"),
    "delivered": lazy_gettext("delivered"),
    "failed": lazy_gettext("failed"),
}


def delivery_count(status: str, num: int) -> str:
    """'3 delivered', for the webhooks list: one whole phrase per status, plural-correct."""
    if status == "pending":
        return ngettext("%(num)d pending", "%(num)d pending", num)
    if status == "sending":
        return ngettext("%(num)d sending", "%(num)d sending", num)
    if status == "retrying":
        return ngettext("%(num)d retrying", "%(num)d retrying", num)
    if status == "delivered":
        return ngettext("%(num)d delivered", "%(num)d delivered", num)
    return ngettext("%(num)d failed", "%(num)d failed", num)


class WebhookDelivery(TimestampMixin, Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The retry sweep: what is waiting, by when it may go again.
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        # The delivery log, newest first.
        Index("ix_webhook_deliveries_subscription_created", "subscription_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    event: Mapped[str] = mapped_column(String(40))
    # Sent as X-Tickler-Delivery: the same for every attempt, so receivers can drop repeats.
    event_id: Mapped[str] = mapped_column(String(36))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[WebhookStatus] = mapped_column(
        string_enum(WebhookStatus), default=WebhookStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    response_code: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    subscription: Mapped[WebhookSubscription] = relationship()
