"""Handle one inbound message, whichever transport brought it: record it once in the inbound
ledger and act on it (a comment, a task, a bounce), all in one transaction."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.core.database import DbSession, utcnow
from app.core.errors import NotFound, RuleViolation
from app.inbound.addresses import PROJECT, REPLY, InboundAddress, addresses_of_ours
from app.inbound.answers import owe_answer, window
from app.inbound.bounces import handle_bounce
from app.inbound.mail_in import handle_mail_in
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome
from app.inbound.noise import Ours, auto_reply_reason, ours_from
from app.inbound.refusals import Reason, Refusal
from app.inbound.replies import handle_reply

log = logging.getLogger(__name__)
SUBJECT_MAX = 255
# The headers that may name the address of ours a message was sent to, beside the envelope.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


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
    message_id = _header(message, "Message-ID")
    if message_id and len(message_id) <= 255:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a header the parser cannot decode
        return ""


def _headers(message: EmailMessage, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except (ValueError, TypeError, IndexError):
        return []


def already_handled(session: DbSession, key: str) -> bool:
    return (
        session.scalar(select(InboundMessage.id).where(InboundMessage.message_key == key))
        is not None
    )


def our_own(config: Mapping[str, Any]) -> Ours:
    """Tickler's own senders: mail from them is a loop."""
    return ours_from([config.get("MAIL_DEFAULT_SENDER") or "", config.get("INBOUND_ADDRESS") or ""])


def addressed_to_us(
    config: Mapping[str, Any], message: EmailMessage, envelope: Sequence[str]
) -> list[InboundAddress]:
    if not config.get("INBOUND_ADDRESS"):
        return []
    values = [*envelope, *(v for name in RECIPIENT_HEADERS for v in _headers(message, name))]
    return addresses_of_ours(config, values)


def over_sender_limit(session: DbSession, sender: str, rate: str, now: datetime) -> bool:
    """Whether `sender` sent more than the rate allows, counted from the ledger (so the limit
    holds across workers and pollers); this message is counted too."""
    amount, span = window(rate)
    recent = session.scalar(
        select(func.count(InboundMessage.id)).where(
            InboundMessage.sender == sender, InboundMessage.received_at >= now - span
        )
    )
    return (recent or 0) >= amount


def handle_inbound(
    session: DbSession,
    raw: bytes,
    transport: str,
    envelope_recipients: Sequence[str] = (),
    size: int | None = None,
) -> Handled:
    """Record and act on one message, then commit; a message handled before is a no-op.

    Bad input (garbage bytes, a forged address) never raises: it is recorded with a reason.
    Only the database failing raises, and then nothing was written, so the transport keeps
    the message for the next try. A transport that read only the headers of a message too
    large to read whole says its real `size`: it is recorded as too large, once."""
    message = parse_message(raw)
    key = message_key(message, raw)
    if already_handled(session, key):
        return Handled(None, InboundKind.UNKNOWN, InboundOutcome.IGNORED, duplicate=True)
    config = current_app.config
    now = utcnow()
    row = new_row(message, key, raw, transport, envelope_recipients, now, size)
    ours = addressed_to_us(config, message, envelope_recipients)
    if ours:
        row.recipient = ours[0].address[:320]
    try:
        refusal = dispatch(session, config, message, ours, row, now)
    except (RuleViolation, NotFound) as error:
        # A rule checked only as the change is written: undo every effect, keep the refusal.
        kind = row.kind
        session.rollback()
        row = new_row(message, key, raw, transport, envelope_recipients, now, size)
        row.kind, row.recipient = kind, (ours[0].address[:320] if ours else "")
        refusal = Refusal(Reason.NOT_SAVED, answer=False, detail=str(error))
    except SQLAlchemyError:
        session.rollback()
        raise
    if refusal is not None:
        row.outcome = InboundOutcome.REFUSED
        row.detail = refusal.english_why
    session.add(row)
    if refusal is not None:
        owe_answer(session, row, refusal, config["INBOUND_ANSWER_RATE_LIMIT"], now)
    try:
        session.commit()
    except IntegrityError:
        # The same message, handled by another poller between our check and our insert.
        session.rollback()
        return Handled(None, InboundKind.UNKNOWN, InboundOutcome.IGNORED, duplicate=True)
    return Handled(row.id, row.kind, row.outcome)


def new_row(
    message: EmailMessage,
    key: str,
    raw: bytes,
    transport: str,
    envelope: Sequence[str],
    now: datetime,
    size: int | None = None,
) -> InboundMessage:
    return InboundMessage(
        message_key=key,
        received_at=now,
        sender=parseaddr(_header(message, "From"))[1].lower()[:320],
        recipient=(envelope[0] if envelope else "")[:320],
        subject=" ".join(_header(message, "Subject").split())[:SUBJECT_MAX],
        size=len(raw) if size is None else size,
        transport=transport[:16],
        kind=InboundKind.UNKNOWN,
        outcome=InboundOutcome.IGNORED,
        detail="Not addressed to any address of Tickler's.",
    )


def dispatch(
    session: DbSession,
    config: Mapping[str, Any],
    message: EmailMessage,
    ours: list[InboundAddress],
    row: InboundMessage,
    now: datetime,
) -> Refusal | None:
    """Decide and act, in this order: too large, a bounce (it carries auto-reply marks on
    purpose), an auto-reply or loop, a sender over the limit, then a reply or a mail-in."""
    if row.size > config["INBOUND_MAX_MESSAGE_BYTES"]:
        row.outcome = InboundOutcome.TOO_LARGE
        row.detail = f"{row.size} bytes, over INBOUND_MAX_MESSAGE_BYTES."
        return None
    if handle_bounce(session, message, ours, row):
        return None
    noise = auto_reply_reason(message, our_own(config))
    if noise is not None:
        row.kind, row.outcome, row.detail = InboundKind.AUTO_REPLY, InboundOutcome.IGNORED, noise
        return None
    if not ours:
        return None
    # A reply or project address before a bounce address (a Cc of the bounce address).
    address = next((found for found in ours if found.kind in (REPLY, PROJECT)), ours[0])
    if over_sender_limit(session, row.sender, config["INBOUND_SENDER_RATE_LIMIT"], now):
        row.kind = InboundKind.REPLY if address.kind == REPLY else InboundKind.MAIL_IN
        row.outcome = InboundOutcome.RATE_LIMITED
        row.detail = "Over INBOUND_SENDER_RATE_LIMIT: set aside unread."
        return None
    if address.kind == REPLY:
        days = config["INBOUND_REPLY_TOKEN_DAYS"]
        return handle_reply(session, message, address, row, token_days=days, now=now)
    if address.kind == PROJECT:
        return handle_mail_in(session, message, address, row, now=now)
    row.detail = "Sent to a bounce address, but not a bounce."
    return None
