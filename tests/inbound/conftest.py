"""Fixtures of the inbound transport tests: a private Dovecot, mail built by the stdlib, and
the app pointed at the mailbox."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.inbound.models import InboundMessage
from tests.dovecot import Dovecot, private_dovecot

INBOUND_ADDRESS = "tickler@example.test"


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    # Not under pytest's tmp_path: its folders are private to root, and Dovecot's auth and
    # login processes run as users of their own that must read the password file.
    folder = Path(tempfile.mkdtemp(prefix="tickler-dovecot-"))
    try:
        with private_dovecot(folder) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def configure(app: Flask) -> Iterator[Callable[..., None]]:
    """Set inbound settings on the session's app for this test only."""
    saved: dict[str, Any] = {}

    def set_(**settings: Any) -> None:
        for name, value in settings.items():
            saved.setdefault(name, app.config.get(name))
            app.config[name] = value

    set_(INBOUND_ADDRESS=INBOUND_ADDRESS)
    yield set_
    app.config.update(saved)


def build_message(number: int, to: str = "tickler+p-abc@example.test", size: int = 0) -> bytes:
    """A plain email as a mail client would write it, with its own Message-ID."""
    message = EmailMessage()
    message["From"] = f"Person {number} <person{number}@example.test>"
    message["To"] = to
    message["Subject"] = f"Message number {number}"
    message["Date"] = format_datetime(__import__("datetime").datetime(2026, 3, 1, 9, number % 60))
    message["Message-ID"] = make_msgid(f"m{number}", domain="client.example.test")
    message.set_content(f"Body of message {number}.\n" + "x" * size)
    return message.as_bytes()


def append(server: Dovecot, *messages: bytes, folder: str = "INBOX") -> None:
    with server.mailbox() as box:
        for raw in messages:
            box.append(raw, folder)


def folder_uids(server: Dovecot, folder: str) -> list[str]:
    with server.mailbox() as box:
        if not box.folder.exists(folder):
            return []
        box.folder.set(folder)
        return list(box.uids("ALL"))


def ledger_count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def ledger_keys(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(InboundMessage.message_key)))
