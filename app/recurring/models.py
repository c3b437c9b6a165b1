"""Recurring tasks: a series is the template; each occurrence is an ordinary Task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.database import Base, TimestampMixin, UTCDateTime, string_enum
from app.projects.models import Project
from app.tasklist.models import TITLE_MAX_LENGTH, TaskPriority

RULE_MAX_LENGTH = 500


class RecurringSeries(TimestampMixin, Base):
    __tablename__ = "recurring_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    # Who made the series: its wall-clock times are read in their timezone.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[TaskPriority] = mapped_column(
        string_enum(TaskPriority), default=TaskPriority.MEDIUM
    )
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An RFC 5545 RRULE without DTSTART; starts_at is the first due moment.
    rule: Mapped[str] = mapped_column(String(RULE_MAX_LENGTH))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    # The due moment of the latest occurrence created: the next run starts after it.
    created_through: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project: Mapped[Project] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None

    def __repr__(self) -> str:
        return f"<RecurringSeries {self.id}>"
