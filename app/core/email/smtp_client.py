"""The SMTP connection: Flask-Mail's settings, a timeout per answer, a longer one after DATA."""

from __future__ import annotations

import smtplib
from types import TracebackType
from typing import Any

from flask import current_app
from flask_mail import Connection


class _DataAware:
    """Knows whether the current message's data went out in full, and waits longer for the
    answer to it: RFC 5321 (4.5.3.2.6) asks ten minutes there, because a client that gives up
    while the server is still delivering sends the message twice when it tries again."""

    data_timeout: float = 600.0
    data_sent = False

    def mail(self, sender: str, options: Any = ()) -> tuple[int, bytes]:
        self.data_sent = False
        return super().mail(sender, options)  # type: ignore[misc]

    def data(self, msg: bytes) -> tuple[int, bytes]:
        """smtplib's DATA, the answer to the final dot awaited for `data_timeout` seconds."""
        self.putcmd("data")  # type: ignore[attr-defined]
        code, reply = self.getreply()  # type: ignore[attr-defined]
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = smtplib._quote_periods(msg)  # type: ignore[attr-defined]
        if body[-2:] != b"\r\n":
            body += b"\r\n"
        self.send(body + b".\r\n")  # type: ignore[attr-defined]
        self.data_sent = True
        sock = self.sock  # type: ignore[attr-defined]
        sock.settimeout(self.data_timeout)
        try:
            return self.getreply()  # type: ignore[attr-defined]
        finally:
            if self.sock is not None:  # type: ignore[attr-defined]
                sock.settimeout(self.timeout)  # type: ignore[attr-defined]


# data() here takes the bytes sendmail passes; typeshed's SMTP.data also takes str and buffers.
class DataAwareSMTP(_DataAware, smtplib.SMTP):  # type: ignore[misc]
    pass


class DataAwareSMTPSSL(_DataAware, smtplib.SMTP_SSL):  # type: ignore[misc]
    pass


class TimedConnection(Connection):
    """Flask-Mail's connection and settings, with a timeout so a hung server cannot wedge us:
    MAIL_TIMEOUT for every answer but the one to a message's end, MAIL_DATA_TIMEOUT for that."""

    def configure_host(self) -> DataAwareSMTP | DataAwareSMTPSSL:
        timeout = current_app.config.get("MAIL_TIMEOUT", 30)
        smtp_class = DataAwareSMTPSSL if self.mail.use_ssl else DataAwareSMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        host.data_timeout = max(timeout, current_app.config.get("MAIL_DATA_TIMEOUT", 600))
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
