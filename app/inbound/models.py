"""The inbound ledger (one row per message ever handled, keyed by Message-ID) and each
project's mail-in address."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, UTCDateTime, string_enum, utcnow
from app.inbound.refusals import shown_detail


class InboundKind(enum.StrEnum):
    """What a message turned out to be."""

    REPLY = "reply"  # to a task email's reply address
    MAIL_IN = "mail_in"  # to a project's address
    BOUNCE = "bounce"  # a delivery status notification for one of our emails
    AUTO_REPLY = "auto_reply"  # out-of-office, mailing lists, our own mail looping back
    UNKNOWN = "unknown"  # to no address of ours, or unreadable


class InboundOutcome(enum.StrEnum):
    """What was done with it."""

    COMMENTED = "commented"
    COMPLETED = "completed"  # a reply saying only "done"
    CREATED = "created"  # a task, from mail-in
    BOUNCE_RECORDED = "bounce_recorded"
    IGNORED = "ignored"  # auto-replies, unknown addresses: never answered
    REFUSED = "refused"  # written nothing; the sender is told why (answer_status)
    RATE_LIMITED = "rate_limited"  # a storm from one sender: set aside unread
    TOO_LARGE = "too_large"


class AnswerStatus(enum.StrEnum):
    NONE = "none"  # no answer owed
    PENDING = "pending"  # owed, queued after commit
    SENT = "sent"
    SUPPRESSED = "suppressed"  # owed, but the answer rate limit said no
    FAILED = "failed"


KIND_LABELS = {
    InboundKind.REPLY: _l("Reply"),
    InboundKind.MAIL_IN: _l("Mail in"),
    InboundKind.BOUNCE: _l("Bounce"),
    InboundKind.AUTO_REPLY: _l("Auto-reply"),
    InboundKind.UNKNOWN: _l("Unknown"),
}
OUTCOME_LABELS = {
    InboundOutcome.COMMENTED: _l("Commented"),
    InboundOutcome.COMPLETED: _l("Completed"),
    InboundOutcome.CREATED: _l("Created"),
    InboundOutcome.BOUNCE_RECORDED: _l("Bounce recorded"),
    InboundOutcome.IGNORED: _l("Ignored"),
    InboundOutcome.REFUSED: _l("Refused"),
    InboundOutcome.RATE_LIMITED: _l("Rate limited"),
    InboundOutcome.TOO_LARGE: _l("Too large"),
}
ANSWER_LABELS = {
    AnswerStatus.NONE: _l("None owed"),
    AnswerStatus.PENDING: lazy_pgettext("answer", "Pending"),
    AnswerStatus.SENT: _l("Sent"),
    AnswerStatus.SUPPRESSED: _l("Suppressed"),
    AnswerStatus.FAILED: _l("Failed"),
}


class InboundMessage(TimestampMixin, Base):
    """One row per message, whichever transport brought it and however often: the unique key
    makes a second delivery of the same message (a poll after a crash, IMAP and LMTP both)
    a no-op. Written in the same transaction as the comment or task it made."""

    __tablename__ = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_sender_received", "sender", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Message-ID as written (angle brackets kept), or "sha256:<hex>" of the raw bytes for
    # a message that has none.
    message_key: Mapped[str] = mapped_column(String(255), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # The From address (lower case) and the address of ours it was sent to.
    sender: Mapped[str] = mapped_column(String(320), default="")
    recipient: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(default=0)
    # imap, maildir, lmtp.
    transport: Mapped[str] = mapped_column(String(16), default="")
    kind: Mapped[InboundKind] = mapped_column(string_enum(InboundKind, length=16))
    outcome: Mapped[InboundOutcome] = mapped_column(string_enum(InboundOutcome, length=16))
    # For people: why it was refused or ignored ("the task is in the Trash").
    detail: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    # The bounce's ledger row (VERP), when the bounce came back to a delivery's address.
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL")
    )
    answer_status: Mapped[AnswerStatus] = mapped_column(
        string_enum(AnswerStatus, length=16), default=AnswerStatus.NONE
    )
    answer_message_id: Mapped[str | None] = mapped_column(String(255))

    def __repr__(self) -> str:
        return f"<InboundMessage {self.id} {self.kind} {self.outcome}>"

    # For the admin page, in the reader's language.
    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def answer_label(self) -> str:
        return str(ANSWER_LABELS[self.answer_status])

    @property
    def shown_detail(self) -> str:
        return shown_detail(self.detail)


class ProjectInboundAddress(TimestampMixin, Base):
    """A project's mail-in address token: shown to its members, replaced on regenerate (the
    old address then finds nothing). Not a login secret: it only lets members' mail in."""

    __tablename__ = "project_inbound_addresses"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
