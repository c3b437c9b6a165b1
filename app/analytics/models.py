"""Cached analytics: one JSON snapshot per project or person, replaced on each computation."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, string_enum


class AnalyticsScope(enum.StrEnum):
    PROJECT = "project"
    USER = "user"


class AnalyticsSnapshot(Base):
    __tablename__ = "analytics_snapshots"
    # One snapshot per scope: the jobs upsert on this pair, the pages read by it.
    __table_args__ = (UniqueConstraint("scope", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[AnalyticsScope] = mapped_column(string_enum(AnalyticsScope))
    # A project id or a user id, by scope; no foreign key, since it points at either table.
    scope_id: Mapped[int] = mapped_column()
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<AnalyticsSnapshot {self.scope}:{self.scope_id}>"
