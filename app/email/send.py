"""Send a batch of emails over one SMTP connection and say what happened to each."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate, make_msgid, parseaddr
from types import TracebackType

from flask import current_app
from flask_mail import Connection

from app.email import mime
from app.email.render import RenderedEmail
from app.email.shutdown import termination_deferred

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


@dataclass(frozen=True)
class SendResult:
    key: int
    outcome: str
    message_id: str
    error: str | None = None


class TimedConnection(Connection):
    """Flask-Mail's connection and settings, with a timeout so a hung server cannot wedge us."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = current_app.config.get("MAIL_TIMEOUT", 30)
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Flask-Mail types these as never None, though a clean exit passes None.
            super().__exit__(exc_type, exc, tb)  # type: ignore[arg-type]
        except (smtplib.SMTPException, OSError):
            # The messages are already accepted or accounted for; a failed QUIT changes nothing.
            pass


def sender_domain() -> str:
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip("> ")
    return domain or "tickler.local"


def new_message_id() -> str:
    return make_msgid(domain=sender_domain())


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


def to_mime(email: OutgoingEmail, sender: str, message_id: str) -> bytes:
    """multipart/alternative: the text part first, the HTML part preferred by mail clients.

    Subject and display name are made one line by `header_text`; a CR or LF in any other
    header value raises ValueError (send_batch marks that email failed), so nothing can add a
    header."""
    headers = [
        ("From", mime.address("From", *parseaddr(sender))),
        ("To", mime.address("To", header_text(email.to_name), email.to_address)),
        ("Subject", mime.unstructured("Subject", header_text(email.content.subject))),
        ("Date", formatdate(localtime=False)),
        ("Message-ID", mime.checked("Message-ID", message_id)),
        *((name, mime.checked(name, value)) for name, value in email.headers.items()),
    ]
    return mime.multipart_alternative(headers, email.content.text, email.content.html)


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


def send_batch(
    emails: Sequence[OutgoingEmail], on_sent: Callable[[SendResult], None] | None = None
) -> list[SendResult]:
    """Send each email over one connection; a broken connection leaves the rest for a retry.

    `on_sent` hears of each accepted email at once (to mark it before the next); if it raises,
    the rest are left unsent, as transient, rather than sent without a record."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    envelope_from = parseaddr(sender)[1]
    messages = [(email, email.message_id or new_message_id()) for email in emails]
    results: list[SendResult] = []
    try:
        # Flask-Mail keeps each app's settings in its extension state, not on `mail` itself.
        with (
            termination_deferred() as termination,
            TimedConnection(current_app.extensions["mail"]) as connection,
        ):
            for email, message_id in messages:
                termination.checkpoint()  # told to stop? now, with nothing on the wire
                try:
                    mime = to_mime(email, sender, message_id)
                except ValueError as error:
                    # A header value with a line break: refused, never sent, never retried.
                    results.append(SendResult(email.key, PERMANENT, message_id, str(error)))
                    continue
                try:
                    # No host when MAIL_SUPPRESS_SEND is on: Flask-Mail's "sent" without SMTP.
                    if connection.host is not None:
                        connection.host.sendmail(envelope_from, [email.to_address], mime)
                except smtplib.SMTPServerDisconnected as error:
                    raise _ConnectionLost(error) from error
                except smtplib.SMTPException as error:
                    # smtplib has already sent RSET, so the connection serves the next one.
                    results.append(
                        SendResult(email.key, classify(error), message_id, describe(error))
                    )
                except OSError as error:
                    raise _ConnectionLost(error) from error
                else:
                    results.append(SendResult(email.key, SENT, message_id))
                    _tell(on_sent, results[-1])
    except _ConnectionLost as lost:
        _add_unsent(results, messages, TRANSIENT, describe(lost.error))
    except OSError as error:  # refused, timed out, or an SMTP error before the first message
        _add_unsent(results, messages, classify(error), describe(error))
    return results


def _tell(on_sent: Callable[[SendResult], None] | None, result: SendResult) -> None:
    if on_sent is None:
        return
    try:
        on_sent(result)
    except Exception as error:  # whatever the recorder raised, stop sending
        raise _ConnectionLost(error) from error


class _ConnectionLost(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


def _add_unsent(
    results: list[SendResult],
    messages: list[tuple[OutgoingEmail, str]],
    outcome: str,
    error: str,
) -> None:
    done = {result.key for result in results}
    for email, message_id in messages:
        if email.key not in done:
            results.append(SendResult(email.key, outcome, message_id, error))
