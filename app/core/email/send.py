"""Send a batch of emails over one SMTP connection and say what happened to each."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app
from flask_babel import gettext

from app.core.email import mime
from app.core.email.dkim_signing import DkimSigner, signer_from_config
from app.core.email.render import RenderedEmail
from app.core.email.shutdown import DeferredTermination, termination_deferred
from app.core.email.smtp_client import TimedConnection
from app.core.i18n import in_language

log = logging.getLogger(__name__)

SENT, TRANSIENT, PERMANENT = "sent", "transient", "permanent"


@dataclass(frozen=True)
class OutgoingEmail:
    key: int
    to_address: str
    to_name: str
    content: RenderedEmail
    message_id: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # The EmailKind value: names the List-Id, so a person can filter each kind of email.
    kind: str = ""
    # Who caused the email ("Ana"): the From display name becomes "Ana via Tickler".
    actor_name: str | None = None
    # Where a reply goes, when this email has its own reply address (a task's, with inbound
    # mail on); None: MAIL_REPLY_TO, else the sender.
    reply_to: str | None = None
    # The SMTP MAIL FROM (where bounces go): a per-delivery bounce address (VERP), "" for the
    # null sender of an answer to inbound mail (RFC 3834), None: the sender's address.
    envelope_from: str | None = None
    # RFC 3834: "auto-generated" for what Tickler sends by itself, "auto-replied" for an
    # answer to a message it received (no mail system answers either).
    auto_submitted: str = "auto-generated"


@dataclass(frozen=True)
class SendResult:
    key: int
    outcome: str
    message_id: str
    error: str | None = None
    # False when the server never saw this message (the connection was lost before it, or the
    # batch stopped): the recipient is not charged an attempt for the server's trouble.
    tried: bool = True


def sender_domain() -> str:
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip("> ")
    return domain or "tickler.local"


def new_message_id() -> str:
    """A fresh Message-ID that says it is Tickler's (`<tickler.mail.N.R@domain>`): inbound
    mail recognises its own emails coming back by this shape, never by the domain alone,
    which the people replying may share."""
    return make_msgid(idstring=None, domain=sender_domain()).replace("<", "<tickler.mail.", 1)


# Line breaks (and the other controls) a person's text may hold: in a header they could start
# a header of their own. Unicode's own line separators count too (str.splitlines honours them).
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: str) -> str:
    """Text a person typed (a name, a project, a title), made one header line: each run of
    line breaks or controls becomes one space. The email still goes, saying what they typed."""
    return _HEADER_BREAKS.sub(" ", value).strip()


def delivery_message_id(delivery_id: int) -> str:
    """The Message-ID of a ledger row's email: the same on every attempt and every redelivery,
    so a mail system that saw the first copy can tell a second one for what it is."""
    return f"<tickler.delivery.{delivery_id}@{sender_domain()}>"


def to_mime(
    email: OutgoingEmail, sender: str, message_id: str, reply_to: str | None = None
) -> bytes:
    """multipart/alternative: the text part first, the HTML part preferred by mail clients.

    Subject and display names are made one line by `header_text`; a CR or LF in any other
    header value raises ValueError (send_batch marks that email failed), so nothing can add a
    header. Every email says it is automatic (RFC 3834, and Exchange's own header, so no
    out-of-office answers come back), which kind it is (List-Id, RFC 2919), and where a reply
    goes: to `reply_to`, else to the sender's own address, never to the person named in From."""
    sender_name, sender_address = parseaddr(sender)
    reply_to = email.reply_to or reply_to
    replies = parseaddr(reply_to) if reply_to else (sender_name or "Tickler", sender_address)
    headers = [
        ("From", mime.address("From", from_line_name(email, sender_name), sender_address)),
        ("Reply-To", mime.address("Reply-To", *replies)),
        ("To", mime.address("To", header_text(email.to_name), email.to_address)),
        ("Subject", mime.unstructured("Subject", header_text(email.content.subject))),
        # +0000: the time is known to be UTC (RFC 5322 reads -0000 as "zone unknown").
        ("Date", format_datetime(datetime.now(UTC))),
        ("Message-ID", mime.checked("Message-ID", message_id)),
        ("Auto-Submitted", mime.checked("Auto-Submitted", email.auto_submitted)),
        ("X-Auto-Response-Suppress", "All"),
        *((("List-Id", list_id(email.kind, sender_address)),) if email.kind else ()),
        *((name, mime.checked(name, value)) for name, value in email.headers.items()),
    ]
    return mime.multipart_alternative(headers, email.content.text, email.content.html)


def from_line_name(email: OutgoingEmail, sender_name: str) -> str:
    """The From display name in the email's own language ("Ana über Tickler")."""
    with in_language(email.content.language):
        return from_name(sender_name, email.actor_name)


def from_name(sender_name: str, actor_name: str | None) -> str:
    """The From display name: "Ana via Tickler" when a person caused the email, else the
    configured sender's own name."""
    service = sender_name or "Tickler"
    actor = header_text(actor_name or "")
    return gettext("%(actor)s via %(service)s", actor=actor, service=service) if actor else service


def list_id(kind: str, sender_address: str) -> str:
    """RFC 2919's List-Id for one kind of email: `Tickler task reminder <task-reminder.DOMAIN>`,
    under the sender's own domain (a namespace we control)."""
    domain = sender_address.rsplit("@", 1)[-1] or "tickler.local"
    label = re.sub(r"[^a-z0-9-]+", "-", kind.lower()).strip("-")
    words = label.replace("-", " ")
    return mime.checked("List-Id", f"Tickler {words} <{label}.{domain}>")


def classify(error: Exception) -> str:
    """Permanent for a 5xx answer; everything else (4xx, refused, timeout, dropped) may pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return PERMANENT if codes and all(500 <= code < 600 for code in codes) else TRANSIENT
    if isinstance(error, smtplib.SMTPResponseException):
        return PERMANENT if 500 <= error.smtp_code < 600 else TRANSIENT
    return TRANSIENT


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = error.recipients.values()
        return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in refusals)
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"


# A connection lost before any message on it was tried, this many times in a row, means the
# server is in trouble: the rest wait for the job's backoff instead of hammering it.
MAX_FRUITLESS_CONNECTIONS = 2


def send_batch(
    emails: Sequence[OutgoingEmail], on_sent: Callable[[SendResult], None] | None = None
) -> list[SendResult]:
    """Send each email, reconnecting when the server hangs up (421 is a temporary condition),
    and say what happened to each.

    Only a message the server answered (or took in full and never answered) counts as tried;
    when the server stays unreachable the rest come back untried, for a retry with backoff.
    `on_sent` hears of each accepted email at once (to mark it before the next); if it raises,
    the rest are left unsent, as transient, rather than sent without a record."""
    batch = _Batch(emails, on_sent)
    try:
        with termination_deferred() as termination:
            batch.send_all(termination)
    except _RecorderFailed as failed:
        batch.give_back_unsent(TRANSIENT, describe(failed.error))
    return batch.results


class _Batch:
    def __init__(
        self, emails: Sequence[OutgoingEmail], on_sent: Callable[[SendResult], None] | None
    ) -> None:
        self.sender = current_app.config["MAIL_DEFAULT_SENDER"]
        self.envelope_from = parseaddr(self.sender)[1]
        self.reply_to = current_app.config.get("MAIL_REPLY_TO") or None
        self.signer: DkimSigner | None = signer_from_config(current_app.config)
        self.waiting = [(email, email.message_id or new_message_id()) for email in emails]
        self.on_sent = on_sent
        self.results: list[SendResult] = []

    def send_all(self, termination: DeferredTermination) -> None:
        fruitless = 0
        while self.waiting:
            try:
                with TimedConnection(current_app.extensions["mail"]) as connection:
                    if connection.host is None:
                        # MAIL_SUPPRESS_SEND: Flask-Mail's "sent" without an SMTP server.
                        self.suppress_all()
                        return
                    tried = self.send_over(connection.host, termination)
            except OSError as error:  # not opened: refused, timed out, or no 220 greeting
                self.give_back_unsent(classify(error), describe(error))
                return
            fruitless = 0 if tried else fruitless + 1
            if self.waiting and fruitless >= MAX_FRUITLESS_CONNECTIONS:
                self.give_back_unsent(TRANSIENT, "the server kept closing the connection")
                return
            if self.waiting:
                log.info("SMTP connection lost; reconnecting for %d more", len(self.waiting))

    def send_over(self, host: smtplib.SMTP, termination: DeferredTermination) -> int:
        """Send the waiting emails over one connection until it is lost; how many were tried."""
        tried = 0
        while self.waiting:
            termination.checkpoint()  # told to stop? now, with nothing on the wire
            email, message_id = self.waiting[0]
            try:
                mime = to_mime(email, self.sender, message_id, self.reply_to)
                if self.signer is not None:
                    mime = self.signer.sign(mime)
            except ValueError as error:
                # A header value with a line break: refused, never sent, never retried.
                self._settle(SendResult(email.key, PERMANENT, message_id, str(error)))
                continue
            host.data_sent = False  # type: ignore[attr-defined]
            try:
                envelope_from = (
                    self.envelope_from if email.envelope_from is None else email.envelope_from
                )
                host.sendmail(envelope_from, [email.to_address], mime)
            except OSError as error:  # smtplib's errors are OSErrors too
                if not _answered(error) and not getattr(host, "data_sent", False):
                    return tried  # lost before this message was tried: it goes on the next
                # Answered (smtplib sent RSET, or closed the connection on a 421), or taken in
                # full and never answered. The latter is not sent again over this batch's next
                # connection (a slow server may still deliver it): its retry waits for backoff.
                self._settle(SendResult(email.key, classify(error), message_id, describe(error)))
                tried += 1
                if not _answered(error) or host.sock is None:
                    return tried
            else:
                self._settle(SendResult(email.key, SENT, message_id))
                tried += 1
        return tried

    def _settle(self, result: SendResult) -> None:
        self.waiting.pop(0)
        self.results.append(result)
        if result.outcome == SENT and self.on_sent is not None:
            try:
                self.on_sent(result)
            except Exception as error:  # whatever the recorder raised, stop sending
                raise _RecorderFailed(error) from error

    def suppress_all(self) -> None:
        while self.waiting:
            self._settle(SendResult(self.waiting[0][0].key, SENT, self.waiting[0][1]))

    def give_back_unsent(self, outcome: str, error: str) -> None:
        for email, message_id in self.waiting:
            self.results.append(SendResult(email.key, outcome, message_id, error, tried=False))
        self.waiting = []


def _answered(error: Exception) -> bool:
    """The server replied to this message (with a refusal); not a lost connection."""
    return isinstance(error, smtplib.SMTPException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    )


class _RecorderFailed(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error
