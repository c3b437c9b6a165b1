"""The development SMTP server's handler: mail to plus-addresses of INBOUND_ADDRESS goes into
the inbound Maildir (which the poll job reads, as IMAP would be in production), everything else
into the development mailbox shown at /dev/mail.

Run by aiosmtpd: `python -m aiosmtpd -c scripts.devstack.mail_router.DevMailRouter
<dev mailbox> <inbound maildir> <inbound address> [<separator>]`."""

from __future__ import annotations

import mailbox
from argparse import ArgumentParser
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def is_inbound(address: str, inbound_address: str, separator: str = "+") -> bool:
    """Whether `address` is INBOUND_ADDRESS itself or one of its plus-addresses."""
    mailbox_name, _, domain = inbound_address.strip().lower().rpartition("@")
    local, _, at_domain = address.strip().lower().rpartition("@")
    if at_domain != domain or not mailbox_name:
        return False
    return local == mailbox_name or local.startswith(mailbox_name + separator)


def with_envelope(raw: bytes, mail_from: str, recipients: Sequence[str]) -> bytes:
    """The message as a delivery agent stores it: the envelope written on top (Return-Path,
    and aiosmtpd's X-MailFrom / X-RcptTo), the bytes otherwise untouched, newlines as \\n."""
    envelope = (
        f"Return-Path: <{mail_from}>\nX-MailFrom: {mail_from}\nX-RcptTo: {', '.join(recipients)}\n"
    ).encode()
    return envelope + raw.replace(b"\r\n", b"\n")


def maildir(path: Path) -> mailbox.Maildir:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, factory=None, create=True)


class DevMailRouter:
    """aiosmtpd handler: one copy per side (inbound, dev mailbox), each naming its recipients."""

    def __init__(
        self, dev_mailbox: Path, inbound_maildir: Path, inbound_address: str, separator: str = "+"
    ) -> None:
        self.dev_mailbox = Path(dev_mailbox)
        self.inbound_maildir = Path(inbound_maildir)
        self.inbound_address = inbound_address
        self.separator = separator

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        ours = [r for r in envelope.rcpt_tos if is_inbound(r, self.inbound_address, self.separator)]
        others = [r for r in envelope.rcpt_tos if r not in ours]
        mail_from = envelope.mail_from or ""
        if ours:
            maildir(self.inbound_maildir).add(with_envelope(raw, mail_from, ours))
        if others:
            maildir(self.dev_mailbox).add(with_envelope(raw, mail_from, others))
        return "250 OK"

    @classmethod
    def from_cli(cls, parser: ArgumentParser, *args: str) -> DevMailRouter:
        if len(args) not in (3, 4):
            parser.error("give: <dev mailbox> <inbound maildir> <inbound address> [<separator>]")
        return cls(Path(args[0]), Path(args[1]), args[2], *args[3:])
