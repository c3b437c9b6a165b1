"""One poll of every configured inbound transport, and what is configured, in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext

from app.core.database import DbSession
from app.inbound import maildir_transport
from app.inbound.imap_transport import ImapSettings, poll_imap
from app.inbound.transports import PollReport


def off_message() -> str:
    """What the poll says with no mailbox configured (the job's result, the command's answer)."""
    return gettext(
        "Inbound mail is off: set INBOUND_IMAP_HOST or INBOUND_MAILDIR to read a mailbox."
    )


def transports_configured(config: Mapping[str, Any]) -> list[str]:
    names = []
    if config.get("INBOUND_IMAP_HOST"):
        names.append("imap")
    if config.get("INBOUND_MAILDIR"):
        names.append("maildir")
    return names


def describe_transports(config: Mapping[str, Any]) -> list[str]:
    """Each configured transport in a sentence (never the password)."""
    lines = []
    if config.get("INBOUND_IMAP_HOST"):
        lines.append(ImapSettings.from_config(config).describe())
    if config.get("INBOUND_MAILDIR"):
        lines.append(maildir_transport.describe(config))
    return lines


def poll_all(session: DbSession, config: Mapping[str, Any]) -> list[PollReport]:
    """Poll each configured transport once; an empty list when inbound mail is off."""
    reports = []
    if config.get("INBOUND_IMAP_HOST"):
        reports.append(poll_imap(session, config))
    if config.get("INBOUND_MAILDIR"):
        reports.append(maildir_transport.poll_maildir(session, config))
    return reports
