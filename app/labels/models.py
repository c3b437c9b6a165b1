"""Labels a project defines, and which tasks carry them."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin

LABEL_NAME_MAX_LENGTH = 40
DEFAULT_LABEL_COLOR = "#3b6ea8"


class Label(TimestampMixin, Base):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_labels_project_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(LABEL_NAME_MAX_LENGTH))
    # "#rrggbb"; the text on it is chosen for contrast (app.labels.colors).
    color: Mapped[str] = mapped_column(String(7), default=DEFAULT_LABEL_COLOR)

    def __repr__(self) -> str:
        return f"<Label {self.id}>"


# "Ops" and "ops" are one label: the database refuses the second even when two people create
# them at the same moment (the service's check runs first, for the message).
Index("uq_labels_project_lower_name", Label.project_id, func.lower(Label.name), unique=True)


# Which tasks carry which labels: a label's tasks by label_id, a task's labels by the key.
task_labels = Table(
    "task_labels",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_task_labels_label_id", "label_id"),
)
