"""Bounce rules, pure: what a delivery report says (RFC 3464 read with the stdlib, other shapes
by flufl.bounce), hard or soft, and what it does to a person's address."""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import parseaddr

from flufl.bounce import all_failures

REASON_MAX = 255
log = logging.getLogger(__name__)
# Senders of bounces: an MTA writes as MAILER-DAEMON or postmaster, and with an empty envelope
# sender (Return-Path: <>). Without a DSN or a VERP address, only such mail is scanned by
# flufl's heuristics, so a person quoting a bounce in a reply is never taken for one.
DAEMON_NAMES = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailer|bounces?|mdaemon)$")


class Severity(enum.StrEnum):
    HARD = "hard"  # 5.x.x, or flufl's "permanent": the address does not work
    SOFT = "soft"  # 4.x.x, or flufl's "temporary": mailbox full, greylisted
    DELAYED = "delayed"  # Action: delayed, still trying: not a failure at all


@dataclass(frozen=True)
class Failure:
    """One recipient the report speaks of."""

    address: str
    severity: Severity
    status: str = ""  # "5.1.1"
    diagnostic: str = ""  # "smtp; 550 5.1.1 <ana@example.com>: User unknown"


def severity_of(action: str, status: str) -> Severity | None:
    """RFC 3464 section 2.3.3 (Action) and RFC 3463 (Status class): delivered, relayed and
    expanded are no failures (None); delayed is news but no failure."""
    action = action.strip().lower()
    if action == "delayed":
        return Severity.DELAYED
    if action in ("delivered", "relayed", "expanded"):
        return None
    klass = status.strip()[:1]
    if klass == "5":
        return Severity.HARD
    if klass == "4":
        return Severity.SOFT
    # "Action: failed" with no usable status is still a failure; RFC 3464 says permanent.
    return Severity.HARD if action == "failed" else None


def read_dsn(message: Message) -> list[Failure] | None:
    """The recipients of an RFC 3464 delivery status notification, or None if `message` is not
    one (multipart/report; report-type=delivery-status)."""
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    failures: list[Failure] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        # The stdlib parses the part into blocks: per-message fields first, then one per
        # recipient. The first block may be a recipient too if a broken MTA left it out.
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            if not recipient:
                continue
            severity = severity_of(str(block.get("Action", "")), str(block.get("Status", "")))
            if severity is None:
                continue
            failures.append(
                Failure(
                    _address_of(recipient),
                    severity,
                    str(block.get("Status", "")).strip()[:16],
                    " ".join(str(block.get("Diagnostic-Code", "")).split()),
                )
            )
    return failures


def looks_like_bounce_sender(message: Message) -> bool:
    """Mail from an MTA: MAILER-DAEMON or postmaster, or an empty envelope sender."""
    if str(message.get("Return-Path", "")).strip() == "<>":
        return True
    local = parseaddr(str(message.get("From", "")))[1].partition("@")[0].lower()
    return bool(DAEMON_NAMES.match(local))


def read_bounce(message: Message, addressed_to_bounce: bool) -> list[Failure] | None:
    """The failures a bounce reports, or None if `message` is no bounce. A DSN is read by its
    fields; anything else sent to a VERP address or by an MTA goes to flufl.bounce's detectors
    (qmail, Exchange, Postfix's old format, Yahoo ...)."""
    failures = read_dsn(message)
    if failures:
        return failures
    if failures is None and not (addressed_to_bounce or looks_like_bounce_sender(message)):
        return None
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # noqa: BLE001 - a detector choking on odd mail must not lose it
        log.exception("flufl.bounce failed on a message; treated as no failure found")
        temporary, permanent = frozenset(), frozenset()
    found = [Failure(_decoded(a), Severity.HARD) for a in sorted(permanent)]
    found += [Failure(_decoded(a), Severity.SOFT) for a in sorted(temporary - permanent)]
    if found or failures is not None or addressed_to_bounce:
        # A DSN with no failure (delivered, relayed) and anything to a bounce address is still a
        # bounce message: recorded as one, never read as a reply.
        return found
    return None


def worst(failures: list[Failure]) -> Failure | None:
    """The failure that counts: a hard one before a soft one; delays are none."""
    for severity in (Severity.HARD, Severity.SOFT):
        for failure in failures:
            if failure.severity == severity:
                return failure
    return None


def short_reason(failure: Failure) -> str:
    """What the receiving server said, for people: "550 5.1.1 user unknown", at most 255."""
    text = failure.diagnostic
    kind, sep, rest = text.partition(";")
    if sep and kind.strip().lower() in ("smtp", "x-postfix", "x-unix", "x-local"):
        text = rest
    text = " ".join(text.split())
    if not text and failure.status:
        text = f"status {failure.status}"
    if not text:
        text = (
            "the receiving server refused the address"
            if failure.severity == Severity.HARD
            else "the receiving server could not take the mail for now"
        )
    return text[:REASON_MAX]


@dataclass(frozen=True)
class AddressState:
    """A person's bounce state, before or after a bounce."""

    undeliverable_at: datetime | None
    reason: str | None
    soft_bounces: int


def after_bounce(state: AddressState, failure: Failure, now: datetime, limit: int) -> AddressState:
    """One hard bounce stops the address; `limit` soft ones do too. An address already stopped
    keeps its first date and reason."""
    if state.undeliverable_at is not None:
        return state
    if failure.severity == Severity.HARD:
        return AddressState(now, short_reason(failure), state.soft_bounces)
    count = state.soft_bounces + 1
    if count >= limit:
        reason = f"mail kept bouncing: {short_reason(failure)}"[:REASON_MAX]
        return AddressState(now, reason, count)
    return AddressState(None, state.reason, count)


def _address_of(field: str) -> str:
    # "rfc822; ana@example.com" (the address type is required by RFC 3464, often missing).
    _, sep, address = field.partition(";")
    return (address if sep else field).strip().strip("<>").lower()


def _decoded(address: bytes) -> str:
    return address.decode("ascii", "replace").strip().lower()
