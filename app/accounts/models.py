"""People who sign in to Tickler."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ColumnElement, String, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression
from werkzeug import security

from app.core.database import Base, TimestampMixin, UTCDateTime

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 100
# Named, not left to Werkzeug's default, so a library upgrade cannot weaken it silently.
PASSWORD_METHOD = "scrypt"


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The language its pages and emails are written in (app/core/i18n.py's codes).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Overrides UserMixin.is_active: Flask-Login refuses to log in an inactive user.
    is_active: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The password stamp: every login session records it, and changing it (on a password
    # change) ends all sessions begun before.
    session_token: Mapped[str | None] = mapped_column(String(64))
    # Mail to the address bounced for good (one hard bounce, or INBOUND_SOFT_BOUNCE_LIMIT soft
    # ones since it was last confirmed): nothing more is emailed until it is confirmed again.
    email_undeliverable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_undeliverable_reason: Mapped[str | None] = mapped_column(String(255))
    email_soft_bounces: Mapped[int] = mapped_column(default=0)
    # A reply saying only "done" to a task email completes the task (off: it is a comment).
    reply_done_completes: Mapped[bool] = mapped_column(default=False)
    # Unread in-app notifications, when loaded with the user (with_expression): the login
    # loader fills it so every page's bell costs no statement of its own. None otherwise.
    unread_notifications: Mapped[int | None] = query_expression()
    # Not a column: the login session (user_sessions.id) this object was loaded or logged in
    # for. Flask-Login keeps it in the session and remember cookies through get_id.
    if TYPE_CHECKING:
        login_session_id: str | None
    else:
        login_session_id = None

    def set_password(self, password: str) -> None:
        self.set_password_hash(security.generate_password_hash(password, method=PASSWORD_METHOD))

    def set_password_hash(self, password_hash: str) -> None:
        """A new password (hashed) and a new password stamp, which ends every login session."""
        self.password_hash = password_hash
        self.session_token = secrets.token_urlsafe(32)

    def get_id(self) -> str:
        """Flask-Login keeps this in the session and remember cookies: the login session's id,
        which logging out or a new password ends on the server."""
        if not self.login_session_id:
            raise RuntimeError("log in through login_sessions.start_session, not login_user alone")
        return self.login_session_id

    def check_password(self, password: str) -> bool:
        # Through the module, so a test can count calls (login must hash once, known or not).
        return security.check_password_hash(self.password_hash, password)

    @property
    def email_deliverable(self) -> bool:
        """Whether Tickler may email this person's address (it has not bounced for good)."""
        return self.email_undeliverable_at is None

    @hybrid_property
    def can_be_emailed(self) -> bool:
        """The one condition every email to a person checks, in Python and in SQL: the account
        is active and its address has not bounced for good. In-app notifications and the
        account emails a person asks for (reset, confirmation) do not depend on it."""
        return self.is_active and self.email_undeliverable_at is None

    @can_be_emailed.inplace.expression
    @classmethod
    def _can_be_emailed_expression(cls) -> ColumnElement[bool]:
        return and_(cls.is_active.is_(True), cls.email_undeliverable_at.is_(None))

    def __repr__(self) -> str:
        return f"<User {self.id}>"
