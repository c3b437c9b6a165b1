"""Handle one inbound message, whichever transport brought it: record it once in the inbound
ledger and act on it (a comment, a task, a bounce), all in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.database import DbSession
from app.inbound.addresses import addresses_of_ours, inbound_enabled
from app.inbound.bounces import handle_bounce
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome

SUBJECT_MAX = 255


@dataclass(frozen=True)
class Handled:
    """What became of one message. `duplicate`: it had been handled before (nothing done)."""

    inbound_id: int | None
    kind: InboundKind
    outcome: InboundOutcome
    duplicate: bool = False


def parse_message(raw: bytes) -> EmailMessage:
    """The message as the stdlib reads it (the modern policy: headers decoded, never raising
    on a malformed header; defects are noted on the message instead)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def message_key(message: EmailMessage, raw: bytes) -> str:
    """What makes two deliveries the same message: its Message-ID, or the bytes' hash."""
    message_id = str(message.get("Message-ID", "") or "").strip()
    if message_id and len(message_id) <= 255:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def already_handled(session: DbSession, key: str) -> bool:
    return (
        session.scalar(select(InboundMessage.id).where(InboundMessage.message_key == key))
        is not None
    )


def handle_inbound(
    session: DbSession, raw: bytes, transport: str, envelope_recipients: Sequence[str] = ()
) -> Handled:
    """Record and act on one message, then commit; a message handled before is a no-op.

    Bad input (garbage bytes, a forged address) never raises: it is recorded with a reason.
    Only the database failing raises, and then nothing was written, so the transport keeps
    the message for the next try."""
    message = parse_message(raw)
    key = message_key(message, raw)
    if already_handled(session, key):
        return Handled(None, InboundKind.UNKNOWN, InboundOutcome.IGNORED, duplicate=True)
    row = InboundMessage(
        message_key=key,
        sender=parseaddr(str(message.get("From", "")))[1].lower()[:320],
        recipient=(envelope_recipients[0] if envelope_recipients else "")[:320],
        subject=str(message.get("Subject", ""))[:SUBJECT_MAX],
        size=len(raw),
        transport=transport,
        kind=InboundKind.UNKNOWN,
        outcome=InboundOutcome.IGNORED,
        detail="Not addressed to any address of Tickler's.",
    )
    # Bounces first (the integrator's dispatch goes on from here for other kinds).
    headers = [*envelope_recipients, *(str(v) for v in message.get_all("Delivered-To", []))]
    headers += [str(v) for v in message.get_all("To", [])]
    config = current_app.config
    handle_bounce(
        session, message, addresses_of_ours(config, headers) if inbound_enabled(config) else [], row
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        # The same message, handled by another poller between our check and our insert.
        session.rollback()
        return Handled(None, InboundKind.UNKNOWN, InboundOutcome.IGNORED, duplicate=True)
    return Handled(row.id, row.kind, row.outcome)
