"""What every inbound transport shares: the report of one poll, the envelope a stored message
still carries, and handing one message to the service in the exactly-once order."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from sqlalchemy.exc import SQLAlchemyError

from app.core.database import DbSession
from app.inbound.service import handle_inbound

log = logging.getLogger(__name__)

# Headers a delivery agent writes with the envelope recipient: Postfix and Dovecot
# (Delivered-To, X-Original-To), aiosmtpd's Mailbox handler and the dev stack (X-RcptTo).
ENVELOPE_HEADERS = ("Delivered-To", "X-Original-To", "X-RcptTo")


class InboundMailError(RuntimeError):
    """The mailbox cannot be read; the message says why and what to change (never a password)."""


@dataclass
class PollReport:
    """What one poll did, for the Jobs page, the CLI and the Admin › Inbound mail page."""

    transport: str
    handled: int = 0
    duplicates: int = 0
    too_large: int = 0
    left: int = 0  # not reached because the database failed: the next poll takes them
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "transport": self.transport,
            "handled": self.handled,
            "duplicates": self.duplicates,
            "too_large": self.too_large,
            "left": self.left,
            "error": self.error,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        if self.error:
            return f"{self.transport}: {self.error}"
        parts = [f"{self.handled} handled"]
        if self.duplicates:
            parts.append(f"{self.duplicates} seen before (moved)")
        if self.too_large:
            parts.append(
                f"{self.too_large} over INBOUND_MAX_MESSAGE_BYTES (recorded unread, moved)"
            )
        if self.left:
            parts.append(f"{self.left} left for the next poll")
        return f"{self.transport}: " + ", ".join(parts) + "."


def envelope_recipients(raw: bytes) -> list[str]:
    """The envelope recipients a stored message's delivery headers name, in order, once each."""
    headers = BytesHeaderParser().parsebytes(raw)
    found: list[str] = []
    for name in ENVELOPE_HEADERS:
        for _, address in getaddresses([str(v) for v in headers.get_all(name, [])]):
            if address and address.lower() not in found:
                found.append(address.lower())
    return found


def hand_over(
    session: DbSession, raw: bytes, transport: str, report: PollReport, size: int | None = None
) -> bool:
    """Give one message to the service (which commits); True when it may now be moved away.
    False: the database failed, nothing was written, the message stays for the next poll.
    `size`: the real size of a message too large to read, of which `raw` is the header."""
    try:
        handled = handle_inbound(session, raw, transport, envelope_recipients(raw), size)
    except SQLAlchemyError as error:
        session.rollback()
        report.error = (
            f"the database failed ({type(error).__name__}); the rest waits for the next poll"
        )
        log.warning("inbound %s: database failed, stopping this poll: %s", transport, error)
        return False
    if handled.duplicate:
        report.duplicates += 1
    elif size is not None:
        report.too_large += 1
    else:
        report.handled += 1
    return True
