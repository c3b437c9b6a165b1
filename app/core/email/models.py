"""The delivery ledger: one row per recipient, kind of email and period, so nothing goes twice."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin, UTCDateTime, string_enum

if TYPE_CHECKING:
    # A name for the type checker only: the core imports no feature, and the mapper finds the
    # recipient's class by its name in the shared registry.
    from app.accounts.models import User


class EmailKind(enum.StrEnum):
    TASK_REMINDER = "task_reminder"
    OVERDUE_ALERT = "overdue_alert"
    WEEKLY_SUMMARY = "weekly_summary"
    DAILY_REPORT = "daily_report"
    # One email per batch of events on one task; its period is "n<first notification id>".
    TASK_ACTIVITY = "task_activity"

    @property
    def label(self) -> str:
        """The kind as people read it (preferences, Outbox), in the current language."""
        return str(_EMAIL_KIND_LABELS[self.value])

    @property
    def is_digest(self) -> bool:
        """Sent by the digest chunks; the others are sent one at a time as events happen."""
        return self != EmailKind.TASK_ACTIVITY


_EMAIL_KIND_LABELS = {
    "task_reminder": lazy_gettext("Daily reminder of tasks due within 24 hours"),
    "overdue_alert": lazy_gettext("Daily alert about overdue tasks"),
    "weekly_summary": lazy_gettext("Weekly summary"),
    "daily_report": lazy_gettext("Daily task report (admins)"),
    "task_activity": lazy_gettext("Task activity (assignments, changes, comments, deadlines)"),
}


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"
    # Claimed, but by sending time there was nothing left to say (the tasks were done).
    SKIPPED = "skipped"


class Delivery(TimestampMixin, Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        # The promise itself: one email per person, kind and period, whoever tries to send it.
        UniqueConstraint(
            "recipient_id", "kind", "period", name="uq_deliveries_recipient_kind_period"
        ),
        Index("ix_deliveries_status_updated", "status", "updated_at"),
        Index("ix_deliveries_kind_period", "kind", "period"),
        Index("ix_deliveries_status_sweep_after", "status", "sweep_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[EmailKind] = mapped_column(string_enum(EmailKind, length=32))
    # The local day ("2026-11-23") or ISO week ("2026-W48") the email is about.
    period: Mapped[str] = mapped_column(String(16))
    status: Mapped[DeliveryStatus] = mapped_column(
        string_enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Kept from the first attempt so a retry is recognisably the same message.
    message_id: Mapped[str | None] = mapped_column(String(255))
    # Which Celery job holds the row while sending; its own redelivery may take it back.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # While owed (pending, sending, retrying): the moment the row counts as orphaned if nobody
    # has touched it since, so the sweep queues it again. A claim's lease (kept fresh by the
    # sender's heartbeat), a retry's countdown, a queued job's grace. Empty once settled.
    sweep_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why this person got this email: the rule and the task ids it listed.
    reason: Mapped[dict | None] = mapped_column(JSON)

    recipient: Mapped[User] = relationship("User")

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.kind} {self.period} {self.status}>"
