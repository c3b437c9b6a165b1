"""Bounces as mail servers write them, built with the stdlib: Postfix-style RFC 3464 delivery
status notifications, and the .eml fixtures of the shapes only flufl.bounce knows."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def original(to: str = "ana@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Tickler <tickler@example.com>"
    message["To"] = to
    message["Subject"] = "2 tasks due in the next 24 hours"
    message["Message-ID"] = "<delivery-41.tickler@example.com>"
    message.set_content("Hi, these tasks are due soon:\n- Write the launch post\n")
    return message


def dsn(
    recipient: str = "ana@example.com",
    *,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = "smtp; 550 5.1.1 <ana@example.com>: Recipient address rejected: "
    "User unknown in local recipient table",
    to: str = "tickler@example.com",
    human: str = "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.",
) -> bytes:
    """A Postfix-style multipart/report; report-type=delivery-status, as bytes."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@mx.example.net (Mail Delivery System)"
    report["To"] = to
    report["Subject"] = (
        "Delayed Mail (still being retried)"
        if action == "delayed"
        else "Undelivered Mail Returned to Sender"
    )
    report["Date"] = format_datetime(datetime(2026, 12, 7, 9, 14, 2, tzinfo=UTC))
    report["Message-ID"] = make_msgid(domain="mx.example.net")
    report["Auto-Submitted"] = "auto-replied"
    report.attach(
        MIMEText(
            f"This is the mail system at host mx.example.net.\n\n{human}\n\n"
            "                   The mail system\n\n"
            f"<{recipient}>: host mx.example.net said: {diagnostic.partition(';')[2].strip()}\n"
        )
    )
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.example.net"
    per_message["X-Postfix-Queue-ID"] = "4CkLmN2z3Qz9sW"
    per_message["Arrival-Date"] = "Mon,  7 Dec 2026 09:14:01 +0000 (UTC)"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Original-Recipient"] = f"rfc822;{recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Remote-MTA"] = "dns; mx.example.net"
    per_recipient["Diagnostic-Code"] = diagnostic
    status_part = Message()
    status_part["Content-Type"] = "message/delivery-status"
    status_part["Content-Description"] = "Delivery report"
    status_part.set_payload([per_message, per_recipient])
    report.attach(status_part)
    report.attach(MIMEMessage(original(recipient)))
    return report.as_bytes()
