"""People who sign in to Tickler."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, query_expression
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.base import Base, TimestampMixin, UTCDateTime

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 100


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Overrides UserMixin.is_active: Flask-Login refuses to log in an inactive user.
    is_active: Mapped[bool] = mapped_column(default=True)
    # Digest choices: skip the daily reminder at weekends; no digests at all until a date.
    digest_workdays_only: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    digests_paused_until: Mapped[date | None] = mapped_column()
    # A separate alert as each task enters its last 24 hours, instead of the daily reminder.
    deadline_alerts_per_task: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every login session's id: changing it (on a password change) ends all sessions.
    session_token: Mapped[str | None] = mapped_column(String(64))
    # Unread in-app notifications, when loaded with the user (with_expression): the login
    # loader fills it so every page's bell costs no statement of its own. None otherwise.
    unread_notifications: Mapped[int | None] = query_expression()

    def set_password(self, password: str) -> None:
        # Named, not left to Werkzeug's default, so a library upgrade cannot weaken it silently.
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = secrets.token_urlsafe(32)

    def get_id(self) -> str:
        """Flask-Login keeps this in the session; a new password makes old ones unknown."""
        return f"{self.id}:{self.session_token or ''}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id}>"
