"""An invitation to join a project, sent to an address that may or may not have an account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import EMAIL_MAX_LENGTH, User
from app.core.database import Base, UTCDateTime, utcnow
from app.projects.models import Project


class ProjectInvitation(Base):
    """One row per project and address: inviting again reuses it (a resend), never a copy."""

    __tablename__ = "project_invitations"
    __table_args__ = (UniqueConstraint("project_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    # Normalised (trimmed, lower case), as accounts compare addresses.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the owner last asked for it to be sent (the invitation or a resend).
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # SHA-256 of the link's random token, made by the worker as it sends the email, so the
    # token never passes through the broker or sits readable in the database. Each send
    # makes a new one; the older link stops working.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project: Mapped[Project] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectInvitation {self.id} to project {self.project_id}>"
