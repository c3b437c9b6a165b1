"""Which emails each person wants; a kind with no row is on."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, string_enum
from app.core.email.models import EmailKind


class EmailPreference(TimestampMixin, Base):
    __tablename__ = "email_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_email_preferences_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[EmailKind] = mapped_column(string_enum(EmailKind, length=32))
    enabled: Mapped[bool] = mapped_column(default=True)
