"""A signed-in browser: one row per login, named by the session and remember cookies."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow

USER_AGENT_SUMMARY_LENGTH = 120
# An IPv6 address in its longest written form is 45 characters.
IP_LENGTH = 45


def new_session_id() -> str:
    """256 random bits: the cookie names the session, so it must not be guessable."""
    return secrets.token_urlsafe(32)


class UserSession(Base):
    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_session_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "Firefox 128 on Ubuntu": what the profile shows, not the whole header.
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_SUMMARY_LENGTH), default="")
    ip: Mapped[str] = mapped_column(String(IP_LENGTH), default="")
    # The user's password stamp (users.session_token) when this session began: a new password
    # changes the stamp, which ends every session begun before it without touching their rows.
    password_stamp: Mapped[str] = mapped_column(String(64), default="")
    # Set by logging out, "Log out other sessions" or revoking it from the profile.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<UserSession of user {self.user_id}>"
