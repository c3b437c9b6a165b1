"""What happened that concerns a person: the in-app inbox, and what waits to be emailed."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.database import Base, UTCDateTime, utcnow
from app.tasklist.models import Task


class NotificationKind(enum.StrEnum):
    ASSIGNED = "assigned"
    STATUS_CHANGED = "status_changed"
    MENTIONED = "mentioned"
    COMMENTED = "commented"
    REMINDER = "reminder"
    DEADLINE = "deadline"
    ESCALATED = "escalated"

    @property
    def label(self) -> str:
        """The kind as the preferences page offers it, in the current language."""
        return str(_KIND_LABELS[self.value])


_KIND_LABELS = {
    "assigned": lazy_gettext("A task is assigned to me"),
    "status_changed": lazy_gettext("The status of a task I follow changes"),
    "mentioned": lazy_gettext("Someone @mentions me in a comment"),
    "commented": lazy_gettext("Someone comments on a task I follow"),
    "reminder": lazy_gettext("A reminder I set on a task comes due"),
    "deadline": lazy_gettext(
        "A task of mine enters its last 24 hours (if per-task alerts are chosen above)"
    ),
    "escalated": lazy_gettext("A task in my project is long overdue (project owners)"),
}


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_task_emailed", "user_id", "task_id", "emailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The comment a mention or comment event is about: the inbox and the email open it.
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Shown in the inbox, and/or waiting to be emailed, as the person chose for this kind.
    in_app: Mapped[bool] = mapped_column(default=True)
    email_wanted: Mapped[bool] = mapped_column(default=False)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A status change's before and after, so the batched email can tell whether it still holds.
    status_from: Mapped[str | None] = mapped_column(String(32))
    status_to: Mapped[str | None] = mapped_column(String(32))

    task: Mapped[Task | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
