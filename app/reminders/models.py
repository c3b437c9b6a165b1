"""Reminders a person sets on a task: at a time, or a while before the due date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, UTCDateTime


class TaskReminder(TimestampMixin, Base):
    __tablename__ = "task_reminders"
    __table_args__ = (Index("ix_task_reminders_sent_remind", "sent_at", "remind_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # When it fires; None while a relative reminder's task has no due date.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "1h", "1d" or "1w" before the due date; None for a reminder at a set time.
    before_due: Mapped[str | None] = mapped_column(String(8))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
