"""Reading the inbound Maildir (INBOUND_MAILDIR): each message in new/ and cur/ is handed over,
then renamed into the Maildir++ folder `.Processed` (a rename: atomic, never two copies)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask_babel import gettext

from app.core.database import DbSession
from app.inbound.transports import PollReport, hand_over

log = logging.getLogger(__name__)

TRANSPORT = "maildir"
PROCESSED = ".Processed"


def ensure_maildir(path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)


def processed_dir(root: Path) -> Path:
    folder = root / PROCESSED
    ensure_maildir(folder)
    (folder / "maildirfolder").touch()  # Maildir++: marks a sub-folder
    return folder


def waiting(root: Path) -> list[Path]:
    """Messages waiting, oldest first (Maildir names start with the delivery time)."""
    files = [
        entry
        for sub in ("new", "cur")
        if (root / sub).is_dir()
        for entry in (root / sub).iterdir()
        if entry.is_file() and not entry.name.startswith(".")
    ]
    return sorted(files, key=lambda path: path.name)


def done_name(path: Path) -> str:
    """The name in cur/: a message from new/ gets the (empty) info suffix Maildir wants."""
    return path.name if ":2," in path.name else path.name + ":2,"


def header_of(path: Path) -> bytes:
    """The header of a stored message, read line by line up to the blank line."""
    lines = []
    with path.open("rb") as stored:
        for line in stored:
            if not line.strip():
                break
            lines.append(line)
    return b"".join(lines) + b"\n"


def poll_maildir(session: DbSession, config: Mapping[str, Any]) -> PollReport:
    """Handle every waiting message once: read, hand over (commit), only then rename."""
    report = PollReport(TRANSPORT)
    root = Path(config["INBOUND_MAILDIR"])
    ensure_maildir(root)
    done = processed_dir(root) / "cur"
    limit = int(config["INBOUND_MAX_MESSAGE_BYTES"])
    files = waiting(root)
    for index, path in enumerate(files):
        try:
            size = path.stat().st_size
            too_large = size > limit
            raw = header_of(path) if too_large else path.read_bytes()
        except FileNotFoundError:
            continue  # another poller took it meanwhile
        if too_large:
            log.warning("inbound maildir: %s is over the size limit", path.name)
        if not hand_over(session, raw, TRANSPORT, report, size if too_large else None):
            report.left = len(files) - index
            return report
        try:
            os.rename(path, done / done_name(path))
        except FileNotFoundError:
            pass  # moved by another poller after it found it a duplicate
    return report


def describe(config: Mapping[str, Any]) -> str:
    return gettext(
        "Maildir %(path)s, handled mail moved to its %(folder)s folder",
        path=config["INBOUND_MAILDIR"],
        folder=PROCESSED,
    )
