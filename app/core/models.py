"""The core's own table: jobs kept while the broker was unreachable (see app/core/queueing.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class PendingJob(Base):
    """A job a web request asked for while the broker was unreachable; the flush job sends it
    when the broker is back, so the change the request saved still gets its notification."""

    __tablename__ = "pending_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(String(200))
    args: Mapped[list] = mapped_column(JSON, default=list)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
