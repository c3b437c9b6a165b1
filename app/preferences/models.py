"""Every email choice a person makes, in one table; a kind with no row is on.

A row is one of:
  - a digest kind (EmailKind value) on the "email" channel;
  - a task-event kind (NotificationKind value) on the "email" or the "in_app" channel;
  - kind ALL_TASK with a project: that project's task emails muted (enabled false).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin

EMAIL = "email"
IN_APP = "in_app"
# Every kind of task email, as the kind of a per-project mute.
ALL_TASK = "all_task"


class EmailChoice(TimestampMixin, Base):
    __tablename__ = "email_choices"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "channel", "project_id", name="uq_email_choices_user_kind_where"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8), default=EMAIL)
    # Set only on a per-project mute; a project deleted takes its mutes with it.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
