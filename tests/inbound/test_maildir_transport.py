"""The Maildir transport: new/ and cur/ handled once each, renamed into .Processed."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.inbound.models import InboundMessage, InboundOutcome
from app.inbound.poll import poll_all
from tests.inbound.conftest import build_message, ledger_count


def test_maildir_messages_are_handled_once_and_moved_to_processed(
    app: Flask, configure: Callable[..., None], tmp_path: Path
) -> None:
    root = tmp_path / "inbound"
    box = mailbox.Maildir(root, create=True)
    for number in range(3):
        box.add(build_message(number))
    seen = mailbox.MaildirMessage(build_message(9))
    seen.set_subdir("cur")
    box.add(seen)
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=str(root))
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
        (again,) = poll_all(db.session, app.config)
    assert (report.handled, again.handled, again.duplicates) == (4, 0, 0)
    assert ledger_count(app) == 4
    assert list(mailbox.Maildir(root, create=False).keys()) == []
    assert len(box.get_folder("Processed").keys()) == 4


def test_maildir_duplicate_is_only_moved(
    app: Flask, configure: Callable[..., None], tmp_path: Path
) -> None:
    root = tmp_path / "inbound"
    box = mailbox.Maildir(root, create=True)
    raw = build_message(5)
    box.add(raw)
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=str(root))
    with app.app_context():
        poll_all(db.session, app.config)
        box.add(raw)
        (report,) = poll_all(db.session, app.config)
    assert (report.handled, report.duplicates) == (0, 1)
    assert ledger_count(app) == 1
    assert len(box.get_folder("Processed").keys()) == 2


def test_a_message_over_the_size_limit_is_recorded_from_its_header_and_moved(
    app: Flask, configure: Callable[..., None], tmp_path: Path
) -> None:
    root = tmp_path / "inbound"
    box = mailbox.Maildir(root, create=True)
    box.add(build_message(1, size=5000))
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=str(root), INBOUND_MAX_MESSAGE_BYTES=2000)
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
        (row,) = db.session.scalars(select(InboundMessage))
        assert (row.outcome, row.subject) == (InboundOutcome.TOO_LARGE, "Message number 1")
        assert row.size > 5000
    assert (report.handled, report.too_large) == (0, 1)
    assert len(box.get_folder("Processed").keys()) == 1
