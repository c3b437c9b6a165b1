"""Exports of a task list to a CSV or XLSX file, written by the worker and downloaded later."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import gettext, lazy_gettext, lazy_pgettext
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, UTCDateTime, string_enum, utcnow
from app.projects.models import Project


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self.value])

    @property
    def is_active(self) -> bool:
        return self in (ExportStatus.QUEUED, ExportStatus.RUNNING)


_STATUS_LABELS = {
    "queued": lazy_gettext("Queued"),
    "running": lazy_gettext("Running"),
    "done": lazy_pgettext("export", "Done"),
    "failed": lazy_gettext("Failed"),
    "expired": lazy_gettext("Expired"),
}


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def label(self) -> str:
        return self.value.upper()


class Export(Base):
    __tablename__ = "exports"
    __table_args__ = (
        # "My exports", newest first.
        Index("ix_exports_user_created", "user_id", "created_at"),
        # The cleanup job: finished files past their time.
        Index("ix_exports_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # None means "my tasks": the tasks assigned to the user across their projects.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[ExportFormat] = mapped_column(string_enum(ExportFormat, length=8))
    # The task list's filters as plain JSON (see app.exports.service.filters_to_json), and
    # whether the header row is in the person's language (service.TRANSLATE_HEADERS).
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[ExportStatus] = mapped_column(
        string_enum(ExportStatus), default=ExportStatus.QUEUED
    )
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    total_rows: Mapped[int | None] = mapped_column(Integer)
    # Relative to EXPORT_DIR, so the directory can move between machines.
    file_path: Mapped[str | None] = mapped_column(String(255))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    # Why it failed, in English (the API shows it so); pages show error_text.
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project: Mapped[Project | None] = relationship()

    @property
    def scope(self) -> str:
        return "project" if self.project_id is not None else "mine"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.rows_written * 100 // self.total_rows)

    @property
    def error_text(self) -> str | None:
        """The error in the current language: the stored messages are catalog msgids (N_)."""
        return gettext(self.error) if self.error else None

    def __repr__(self) -> str:
        return f"<Export {self.id} {self.status}>"
