"""Setup check a person runs: send one test email through the configured SMTP server."""

from __future__ import annotations

import argparse
import smtplib
import socket
import ssl
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

# No test_* functions here: pytest must find nothing to collect even when given this file.
SUBJECT = "Tickler test email"
PORTS_ADVICE = "587 uses STARTTLS (MAIL_USE_TLS=true), 465 uses SSL (MAIL_USE_SSL=true)"


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str
    timeout: int

    @property
    def at(self) -> str:
        return f"{self.server}:{self.port}"


class SendFailed(Exception):
    """Sending failed: what went wrong in plain words, and what to change."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


def settings_from(config: dict[str, Any]) -> MailSettings:
    return MailSettings(
        server=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        use_tls=bool(config["MAIL_USE_TLS"]),
        use_ssl=bool(config["MAIL_USE_SSL"]),
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        sender=config["MAIL_DEFAULT_SENDER"],
        timeout=int(config.get("MAIL_TIMEOUT", 30)),
    )


def default_recipient(settings: MailSettings) -> str | None:
    """The sender's own address, else the login name when it is an address."""
    for candidate in (parseaddr(settings.sender)[1], settings.username or ""):
        if "@" in candidate:
            return candidate
    return None


def describe_settings(settings: MailSettings) -> list[str]:
    """What we are about to use, never the password."""
    if settings.use_ssl:
        security = "SSL from the first byte (MAIL_USE_SSL)"
    elif settings.use_tls:
        security = "STARTTLS (MAIL_USE_TLS)"
    else:
        security = "none: plain SMTP (MAIL_USE_TLS and MAIL_USE_SSL are off)"
    if settings.username and settings.password:
        login = f"as {settings.username} (password set, not shown)"
    elif settings.username:
        login = f"none: MAIL_USERNAME={settings.username} but MAIL_PASSWORD is empty"
    else:
        login = "none (MAIL_USERNAME is not set)"
    return [
        f"  server    {settings.server} port {settings.port}",
        f"  security  {security}",
        f"  login     {login}",
        f"  sender    {settings.sender}",
    ]


def build_message(settings: MailSettings, recipient: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = SUBJECT
    message["Date"] = formatdate(localtime=False)
    sender_domain = parseaddr(settings.sender)[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=sender_domain or "tickler.local")
    text = f"This is a test email from Tickler, sent through {settings.at}.\nEmail works.\n"
    message.set_content(text)
    message.add_alternative(
        f"<p>This is a test email from <strong>Tickler</strong>, sent through "
        f"{settings.at}.</p><p>Email works.</p>",
        subtype="html",
    )
    return message


def check_settings(settings: MailSettings, suppressed: bool) -> None:
    if suppressed:
        raise SendFailed(
            "MAIL_SUPPRESS_SEND is on, so Tickler sends no email", "set MAIL_SUPPRESS_SEND=false"
        )
    if settings.use_tls and settings.use_ssl:
        raise SendFailed(
            "MAIL_USE_TLS and MAIL_USE_SSL are both on; a connection uses one or the other",
            f"turn one off: {PORTS_ADVICE}",
        )


def send(flask_app: Any, settings: MailSettings, recipient: str) -> None:
    """Connect, secure and log in the way the app does, then send the message."""
    from app.core.email.send import TimedConnection

    message = build_message(settings, recipient)
    envelope_from = parseaddr(settings.sender)[1]
    with flask_app.app_context():
        with TimedConnection(flask_app.extensions["mail"]) as connection:
            connection.host.send_message(message, envelope_from, [recipient])


def smtp_reply(code: int, text: bytes | str) -> str:
    words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words}"


def explain(error: Exception, settings: MailSettings, recipient: str) -> SendFailed:
    """Turn what smtplib, ssl or socket raised into plain words and a fix."""
    return explain_answer(error, settings, recipient) or explain_connection(error, settings)


def explain_answer(error: Exception, settings: MailSettings, recipient: str) -> SendFailed | None:
    """The server answered, and said no."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return SendFailed(
            f"the server refused the login for {settings.username}: "
            f"{smtp_reply(error.smtp_code, error.smtp_error)}",
            "check MAIL_USERNAME and MAIL_PASSWORD; Gmail needs an app password "
            "(Google Account > Security > App passwords), not your account password",
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(smtp_reply(*reply) for reply in error.recipients.values())
        return SendFailed(
            f"the server refused the recipient {recipient}: {replies}",
            "check the address; 5xx is final (no such user, or relaying denied: many servers "
            "only pass mail on for you once you log in)",
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return SendFailed(
            f"the server refused the sender {error.sender}: "
            f"{smtp_reply(error.smtp_code, error.smtp_error)}",
            "set MAIL_DEFAULT_SENDER to an address this account may send from "
            "(Gmail: your own); if the server wants a login, set MAIL_USERNAME and MAIL_PASSWORD",
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return SendFailed(
            f"{settings.at} answered {smtp_reply(error.smtp_code, error.smtp_error)}",
            "read the server's words above; a 4xx answer may pass if you try again later",
        )
    return None


def explain_connection(error: Exception, settings: MailSettings) -> SendFailed:
    """No conversation, or not the one we expected: the address, the port or TLS is wrong."""
    at = settings.at
    disconnected = isinstance(error, smtplib.SMTPServerDisconnected)
    if isinstance(error, smtplib.SMTPNotSupportedError) and "AUTH" in str(error):
        return SendFailed(
            f"{at} offers no login on this connection",
            "most servers (Gmail too) allow a login only after STARTTLS: MAIL_USE_TLS=true "
            "with port 587; a relay that needs no login wants MAIL_USERNAME unset",
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return SendFailed(f"{at} does not offer STARTTLS", f"check the port: {PORTS_ADVICE}")
    if isinstance(error, ssl.SSLError):
        return SendFailed(
            f"the TLS handshake with {at} failed: {error.reason or error}",
            f"check MAIL_USE_TLS, MAIL_USE_SSL and MAIL_PORT: {PORTS_ADVICE}",
        )
    # smtplib reports a silent server as a disconnection that "timed out".
    if isinstance(error, TimeoutError) or (disconnected and "timed out" in str(error)):
        return SendFailed(
            f"no answer from {at} within {settings.timeout} s",
            "a firewall may block the port, or it is the wrong one (port 465 waits in silence "
            f"for SSL): {PORTS_ADVICE}",
        )
    if disconnected:
        return SendFailed(f"{at} closed the connection: {error}", f"check TLS: {PORTS_ADVICE}")
    if isinstance(error, ConnectionRefusedError):
        return SendFailed(
            f"nothing is listening at {at} (connection refused)",
            "check MAIL_SERVER and MAIL_PORT, and that the mail server is running",
        )
    if isinstance(error, socket.gaierror):
        return SendFailed(
            f"the name {settings.server!r} cannot be found ({error.strerror})",
            "check MAIL_SERVER for typos, and this machine's network",
        )
    return SendFailed(f"sending through {at} failed: {error}", "check the MAIL_* settings")


def where_to_look(config: dict[str, Any]) -> str:
    """Under `make run` the local SMTP server keeps mail in a mailbox read at /dev/mail; a real
    server's mail goes to a real inbox, or its spam folder."""
    if config.get("DEV_MAILBOX_DIR") and config.get("TICKLER_ENV") != "production":
        base = str(config.get("APP_BASE_URL") or "").rstrip("/")
        return f"Read it in the development mailbox: {base}/dev/mail/"
    return "No sign of it? Look in spam."


def redact(text: str, secret: str | None) -> str:
    """A server may echo what it was sent; the password is never printed."""
    return text.replace(secret, "****") if secret else text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python test_email.py",
        description="Send one test email through the SMTP server in the MAIL_* settings.",
    )
    parser.add_argument(
        "address", nargs="?", help="where to send it (default: MAIL_DEFAULT_SENDER's address)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    # A console that cannot print ✓ gets an escape rather than a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    options = parse_args(argv)
    from app import ConfigError, create_app

    try:
        flask_app = create_app()
    except ConfigError as error:
        print(f"✗ {error}")
        return 1
    settings = settings_from(flask_app.config)
    recipient = options.address or default_recipient(settings)
    if not recipient or "@" not in recipient:
        print("✗ Give an address to send to: python test_email.py you@example.com")
        return 2
    print(f'Sending "{SUBJECT}" to {recipient}')
    print("\n".join(describe_settings(settings)))
    try:
        check_settings(settings, bool(flask_app.config.get("MAIL_SUPPRESS_SEND")))
        send(flask_app, settings, recipient)
    except (SendFailed, OSError) as error:
        failure = error if isinstance(error, SendFailed) else explain(error, settings, recipient)
        print(redact(f"✗ Not sent: {failure.problem}.\n  Fix: {failure.fix}.", settings.password))
        return 1
    print(f"✓ Sent: {settings.at} accepted it for {recipient}. {where_to_look(flask_app.config)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
