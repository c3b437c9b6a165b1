"""A task's activity: one row per thing that changed, as it was at the time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import NAME_MAX_LENGTH
from app.core.database import Base, UTCDateTime, utcnow


class TaskActivity(Base):
    """What one person (or Tickler, `actor_id` and `actor_name` None) did to a task.

    Names are copied in at the time (`actor_name`, and an assignee's name in `old_value` /
    `new_value` beside its id in `old_id` / `new_id`): renaming a person or a label later
    must not rewrite what the history says happened. The ids tell two people of one name
    apart; they carry no foreign key, so a deleted account leaves the words as they were.
    """

    __tablename__ = "task_activity"
    __table_args__ = (Index("ix_task_activity_task_created", "task_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str | None] = mapped_column(String(NAME_MAX_LENGTH))
    # created, changed, labels, commented, deleted, restored, archived, unarchived
    kind: Mapped[str] = mapped_column(String(20))
    # For "changed": title, description, status, priority, due_at or assignee_id.
    field: Mapped[str | None] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    old_id: Mapped[int | None] = mapped_column(Integer)
    new_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
