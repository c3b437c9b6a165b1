"""The items of a task's checklist."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, UTCDateTime

ITEM_TEXT_MAX_LENGTH = 300


class ChecklistItem(TimestampMixin, Base):
    __tablename__ = "checklist_items"
    __table_args__ = (Index("ix_checklist_items_task_position", "task_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(ITEM_TEXT_MAX_LENGTH))
    # Smaller first; a moved item takes a value between its new neighbours.
    position: Mapped[float] = mapped_column(Float, default=0.0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.id}>"
