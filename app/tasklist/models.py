"""The to-do items teams keep in their projects."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, Float, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.database import Base, TimestampMixin, UTCDateTime, string_enum
from app.projects.models import Project

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10000


class TaskStatus(enum.StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        """The status as people read it, in the current language."""
        return str(_STATUS_LABELS[self])


class TaskPriority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        """The priority as people read it, in the current language."""
        return str(_PRIORITY_LABELS[self])


_STATUS_LABELS = {
    TaskStatus.PENDING: lazy_gettext("Pending"),
    TaskStatus.IN_PROGRESS: lazy_gettext("In progress"),
    TaskStatus.COMPLETED: lazy_gettext("Completed"),
    TaskStatus.BLOCKED: lazy_gettext("Blocked"),
}
_PRIORITY_LABELS = {
    TaskPriority.LOW: lazy_gettext("Low"),
    TaskPriority.MEDIUM: lazy_gettext("Medium"),
    TaskPriority.HIGH: lazy_gettext("High"),
    TaskPriority.CRITICAL: lazy_gettext("Critical"),
}


class Task(TimestampMixin, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        # The dashboard and the reminder jobs: my open tasks by due date.
        Index("ix_tasks_assignee_status_due", "assignee_id", "status", "due_at"),
        # A project's task list, filtered by status and sorted by due date.
        Index("ix_tasks_project_status_due", "project_id", "status", "due_at"),
        # A project's Trash, most recently deleted first.
        Index("ix_tasks_project_deleted", "project_id", "deleted_at"),
        # Jobs that scan every task due in a window, whoever it belongs to.
        Index("ix_tasks_due_at", "due_at"),
        # One task per occurrence of a recurring series, however often the job runs.
        UniqueConstraint("series_id", "occurrence_at", name="uq_tasks_series_occurrence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="")
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[TaskStatus] = mapped_column(string_enum(TaskStatus), default=TaskStatus.PENDING)
    priority: Mapped[TaskPriority] = mapped_column(
        string_enum(TaskPriority), default=TaskPriority.MEDIUM
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The due date the "last 24 hours" alert went out for: a new due date re-arms it.
    deadline_alert_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the project owner was told the task is long overdue; once per task.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set on occurrences of a recurring series: which series, and the due moment it was made for.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_series.id", ondelete="SET NULL")
    )
    occurrence_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # In the project's Trash since then, restorable until purged (issue 19); who put it there.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Order within a board column: smaller first; a move takes a value between its neighbours.
    board_position: Mapped[float | None] = mapped_column(Float)

    project: Mapped[Project] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    creator: Mapped[User] = relationship(foreign_keys=[creator_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Task {self.id}>"


def in_trash() -> ColumnElement[bool]:
    return Task.deleted_at.is_not(None)


def not_deleted() -> ColumnElement[bool]:
    """Tasks outside the Trash: every list, job, digest and export starts from this."""
    return Task.deleted_at.is_(None)


def in_use() -> ColumnElement[bool]:
    """Tasks a person works with: neither in the Trash nor archived."""
    return and_(Task.deleted_at.is_(None), Task.archived_at.is_(None))
