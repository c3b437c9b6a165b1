"""Reading the inbound mailbox over IMAP with imap-tools: TLS by default, by UID, never marking
anything seen, a few messages at a time, moving each handled one to the done folder."""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError

from app.core.database import DbSession
from app.inbound.transports import InboundMailError, PollReport, hand_over

log = logging.getLogger(__name__)

TRANSPORT = "imap"
BATCH = 20  # UIDs whose sizes are asked for at once; bodies come one by one
TIMEOUT_SECONDS = 30
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    username: str
    password: str
    security: str  # ssl, starttls, none
    ca_file: str | None
    folder: str
    done_folder: str
    max_bytes: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImapSettings:
        return cls(
            host=config["INBOUND_IMAP_HOST"],
            port=int(config["INBOUND_IMAP_PORT"]),
            username=config.get("INBOUND_IMAP_USERNAME") or "",
            password=config.get("INBOUND_IMAP_PASSWORD") or "",
            security=config.get("INBOUND_IMAP_SECURITY", "ssl"),
            ca_file=config.get("INBOUND_IMAP_CA_FILE") or None,
            folder=config.get("INBOUND_IMAP_FOLDER", "INBOX"),
            done_folder=config.get("INBOUND_IMAP_DONE_FOLDER", "Tickler/Processed"),
            max_bytes=int(config["INBOUND_MAX_MESSAGE_BYTES"]),
        )

    def describe(self) -> str:
        """In words, for people and logs: never the password."""
        user = self.username or gettext("(no user)")
        if self.security == "none":
            if self.ca_file:
                return gettext(
                    "IMAP %(user)s at %(host)s:%(port)s (no encryption, trusting %(ca_file)s), "
                    "folder '%(folder)s', handled mail moved to '%(done)s'",
                    user=user,
                    host=self.host,
                    port=self.port,
                    ca_file=self.ca_file,
                    folder=self.folder,
                    done=self.done_folder,
                )
            return gettext(
                "IMAP %(user)s at %(host)s:%(port)s (no encryption), folder '%(folder)s', "
                "handled mail moved to '%(done)s'",
                user=user,
                host=self.host,
                port=self.port,
                folder=self.folder,
                done=self.done_folder,
            )
        security = {"ssl": "TLS", "starttls": "STARTTLS"}[self.security]
        if self.ca_file:
            return gettext(
                "IMAP %(user)s at %(host)s:%(port)s (%(security)s, trusting %(ca_file)s), "
                "folder '%(folder)s', handled mail moved to '%(done)s'",
                user=user,
                host=self.host,
                port=self.port,
                security=security,
                ca_file=self.ca_file,
                folder=self.folder,
                done=self.done_folder,
            )
        return gettext(
            "IMAP %(user)s at %(host)s:%(port)s (%(security)s), folder '%(folder)s', handled "
            "mail moved to '%(done)s'",
            user=user,
            host=self.host,
            port=self.port,
            security=security,
            folder=self.folder,
            done=self.done_folder,
        )


def tls_context(settings: ImapSettings) -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or only INBOUND_IMAP_CA_FILE's."""
    try:
        return ssl.create_default_context(cafile=settings.ca_file)
    except (OSError, ssl.SSLError) as error:
        raise InboundMailError(
            # Operators' diagnostics: logged and kept with the poll's run, as written.
            f"INBOUND_IMAP_CA_FILE={settings.ca_file} cannot be read as "  # i18n: internal
            f"PEM certificates: {error}"
        ) from None


def connect(settings: ImapSettings) -> BaseMailBox:
    """A logged-in mailbox with the inbound folder selected, or InboundMailError saying why."""
    where = f"the IMAP server {settings.host}:{settings.port}"
    box: BaseMailBox
    try:
        if settings.security == "ssl":
            box = MailBox(
                settings.host, settings.port, TIMEOUT_SECONDS, ssl_context=tls_context(settings)
            )
        elif settings.security == "starttls":
            box = MailBoxStartTls(
                settings.host, settings.port, TIMEOUT_SECONDS, ssl_context=tls_context(settings)
            )
        else:
            box = MailBoxUnencrypted(settings.host, settings.port, TIMEOUT_SECONDS)
    except ssl.SSLCertVerificationError as error:
        raise InboundMailError(
            f"{where}'s certificate is not trusted "  # i18n: internal
            f"({error.verify_message}): use its real host "
            "name, or set INBOUND_IMAP_CA_FILE to the CA that signed it."
        ) from None
    except ssl.SSLError as error:
        raise InboundMailError(
            f"TLS with {where} failed ({error.reason}); "  # i18n: internal
            "check INBOUND_IMAP_SECURITY "
            "(ssl for port 993, starttls for 143) and INBOUND_IMAP_PORT."
        ) from None
    except (socket.gaierror, ConnectionError, TimeoutError, OSError) as error:
        raise InboundMailError(
            f"cannot reach {where} ({error.strerror or error}); "  # i18n: internal
            "check INBOUND_IMAP_HOST and "
            "INBOUND_IMAP_PORT, and that the server is up."
        ) from None
    except (imaplib.IMAP4.error, ImapToolsError) as error:
        refused = f"{where} refused the connection: {error}"  # i18n: internal
        raise InboundMailError(refused) from None
    try:
        box.login(settings.username, settings.password, initial_folder=settings.folder)
    except MailboxLoginError:
        box.client.shutdown()
        raise InboundMailError(
            f"{where} refused the login of {settings.username!r}: "  # i18n: internal
            "check INBOUND_IMAP_USERNAME "
            "and INBOUND_IMAP_PASSWORD (Gmail and Fastmail want an app password)."
        ) from None
    except (imaplib.IMAP4.error, ImapToolsError) as error:
        box.client.shutdown()
        raise InboundMailError(
            f"{where}: cannot open folder {settings.folder!r}: {error}"  # i18n: internal
        ) from None
    refresh_capabilities(box)
    return box


def refresh_capabilities(box: BaseMailBox) -> None:
    """Ask again after login: servers (Dovecot among them) list MOVE only to a logged-in
    client, and imaplib keeps the greeting's list. With MOVE a handled message is in one
    folder or the other, never both after a crash (COPY then delete could leave two)."""
    status, data = box.client.capability()
    if status == "OK" and data and data[-1]:
        box.client.capabilities = tuple(data[-1].decode().upper().split())


def ensure_folder(box: BaseMailBox, folder: str) -> None:
    if not box.folder.exists(folder):
        box.folder.create(folder)


def sizes(box: BaseMailBox, uids: Sequence[str]) -> dict[str, int]:
    """RFC822.SIZE of each UID, in one FETCH (no bodies)."""
    status, data = box.client.uid("FETCH", ",".join(uids), "(UID RFC822.SIZE)")
    found: dict[str, int] = {}
    for item in data if status == "OK" else []:
        line = item[0] if isinstance(item, tuple) else item
        match = _SIZE.search(line or b"")
        if match:
            uid, size = (match[1], match[2]) if match[1] else (match[4], match[3])
            found[uid.decode()] = int(size)
    return found


def raw_message(box: BaseMailBox, uid: str, header_only: bool = False) -> bytes | None:
    """The message's exact bytes (or its header only), without setting \\Seen; None when it
    went meanwhile."""
    part = "BODY.PEEK[HEADER]" if header_only else "BODY.PEEK[]"
    status, data = box.client.uid("FETCH", uid, f"({part})")
    if status != "OK":
        message = f"the server would not give message {uid}: {data!r}"  # i18n: internal
        raise InboundMailError(message)
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def process_waiting(box: BaseMailBox, session: DbSession, settings: ImapSettings) -> PollReport:
    """Handle everything in the selected folder: fetch, hand over (commit), only then move."""
    report = PollReport(TRANSPORT)
    ensure_folder(box, settings.done_folder)
    uids = box.uids("ALL")
    for batch in chunks(uids, BATCH):
        by_size = sizes(box, batch)
        for uid in batch:
            size = by_size.get(uid, 0)
            too_large = size > settings.max_bytes
            if too_large:
                # Only the header is read: the ledger says who sent what, and nobody's memory
                # holds a 200 MB attachment.
                log.warning("inbound imap: message %s is %s bytes, over the limit", uid, size)
            raw = raw_message(box, uid, header_only=too_large)
            if raw is None:
                continue
            if not hand_over(session, raw, TRANSPORT, report, size if too_large else None):
                report.left = len(uids) - uids.index(uid)
                return report
            box.move(uid, settings.done_folder)
    return report


def poll_imap(session: DbSession, config: Mapping[str, Any]) -> PollReport:
    """One poll: connect, handle what waits, log out. Connection trouble is in the report."""
    settings = ImapSettings.from_config(config)
    try:
        box = connect(settings)
    except InboundMailError as error:
        return PollReport(TRANSPORT, error=str(error))
    try:
        return process_waiting(box, session, settings)
    except (imaplib.IMAP4.error, ImapToolsError, OSError) as error:
        return PollReport(
            TRANSPORT, error=f"the IMAP connection failed mid-poll ({error}); the next poll resumes"
        )
    finally:
        _logout(box)


def _logout(box: BaseMailBox) -> None:
    try:
        box.logout()
    except Exception:  # a dropped connection has nothing to log out of
        try:
            box.client.shutdown()
        except Exception:
            pass
