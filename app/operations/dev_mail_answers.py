"""Answers a developer sends from /dev/mail as if they were the recipient: a real reply (quoted
the way mail clients quote) and an RFC 3464 bounce, both through the dev SMTP server."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr, parsedate_to_datetime
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class Outgoing:
    """A message and its envelope."""

    message: EmailMessage
    mail_from: str  # "" for a bounce: the null sender, so nothing answers it
    recipients: list[str]


def recipient_of(original: EmailMessage) -> str:
    """Who received the email: its envelope recipient (X-RcptTo) or its first To."""
    for header in ("X-RcptTo", "To"):
        found = [address for _, address in getaddresses([str(original.get(header, ""))]) if address]
        if found:
            return found[0]
    return "someone@localhost"


def envelope_sender_of(original: EmailMessage) -> str:
    """Where a bounce goes: the envelope sender (Return-Path / X-MailFrom), else From."""
    for header in ("Return-Path", "X-MailFrom", "From"):
        address = parseaddr(str(original.get(header, "")))[1]
        if address:
            return address
    return ""


def quoted(original: EmailMessage) -> str:
    """The original's text, each line behind "> ", under an "On <date>, <sender> wrote:" line."""
    body = original.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    try:
        date = format_datetime(parsedate_to_datetime(str(original["Date"])))
    except (TypeError, ValueError):
        date = str(original.get("Date", "an earlier date"))
    sender = str(original.get("From", "the sender"))
    lines = "\n".join(f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n"))
    return f"On {date}, {sender} wrote:\n{lines}\n"


def build_reply(original: EmailMessage, text: str) -> Outgoing:
    """A reply as a mail client writes it: to Reply-To, threaded, "Re: ", bottom-quoted."""
    me = recipient_of(original)
    to = str(original.get("Reply-To") or original.get("From") or "")
    subject = str(original.get("Subject", ""))
    reply = EmailMessage()
    reply["From"] = me
    reply["To"] = to
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    reply["Date"] = format_datetime(datetime.now().astimezone())
    reply["Message-ID"] = make_msgid(domain=me.rpartition("@")[2] or "localhost")
    parent = str(original.get("Message-ID", "")).strip()
    if parent:
        reply["In-Reply-To"] = parent
        reply["References"] = f"{original.get('References', '')} {parent}".strip()
    reply.set_content(f"{text.strip()}\n\n{quoted(original)}")
    return Outgoing(reply, me, [address for _, address in getaddresses([to]) if address])


def build_bounce(original: EmailMessage, host: str = "localhost") -> Outgoing:
    """An RFC 3464 delivery status notification: 5.1.1, the recipient's mailbox is unknown."""
    failed = recipient_of(original)
    sender = envelope_sender_of(original)
    dsn = EmailMessage()
    dsn["From"] = f"Mail Delivery System <MAILER-DAEMON@{host}>"
    dsn["To"] = sender
    dsn["Subject"] = "Undelivered Mail Returned to Sender"
    dsn["Date"] = format_datetime(datetime.now().astimezone())
    dsn["Message-ID"] = make_msgid(domain=host)
    dsn["Auto-Submitted"] = "auto-replied"
    dsn.set_content(
        f"This is the mail system at host {host}.\n\nYour message could not be delivered to "
        f"<{failed}>: the mailbox does not exist (user unknown).\n"
    )
    per_message = _fields(("Reporting-MTA", f"dns; {host}"))
    per_recipient = _fields(
        ("Final-Recipient", f"rfc822; {failed}"),
        ("Original-Recipient", f"rfc822; {failed}"),
        ("Action", "failed"),
        ("Status", "5.1.1"),
        (
            "Diagnostic-Code",
            f"smtp; 550 5.1.1 <{failed}>: Recipient address rejected: User unknown",
        ),
    )
    status = EmailMessage()
    status["Content-Type"] = "message/delivery-status"
    status.set_payload([per_message, per_recipient])
    headers = EmailMessage()
    headers["Content-Type"] = "text/rfc822-headers"
    headers.set_payload(header_block(original))
    dsn.make_mixed()
    dsn.attach(status)
    dsn.attach(headers)
    # multipart/report (RFC 6522): the words, the machine-readable status, the headers.
    dsn.set_type("multipart/report")
    dsn.set_param("report-type", "delivery-status")
    return Outgoing(dsn, "", [sender])


def header_block(original: EmailMessage) -> str:
    """The original's header as sent (RFC 2047 words for non-ASCII, so ASCII throughout)."""
    sent = original.as_bytes(policy=SMTP).split(b"\r\n\r\n", 1)[0]
    return sent.decode("ascii", "replace").replace("\r\n", "\n") + "\n"


def _fields(*pairs: tuple[str, str]) -> Message:
    block = Message()
    for name, value in pairs:
        block[name] = value
    return block


def send_through_dev_smtp(outgoing: Outgoing, config: Any = None) -> None:
    """Deliver through MAIL_SERVER:MAIL_PORT (in `make run`, the embedded aiosmtpd)."""
    config = config or current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as client:
        client.sendmail(
            outgoing.mail_from, outgoing.recipients, outgoing.message.as_bytes(policy=SMTP)
        )
