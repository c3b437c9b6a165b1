"""A person's private calendar feed: only the hash of its secret token is kept."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class CalendarFeed(TimestampMixin, Base):
    """One row per person who turned their feed on; turning it off deletes the row, and
    regenerating replaces the hash, so an old URL finds nothing."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # SHA-256 of the token in hex; the URL is shown once, when the token is made.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
