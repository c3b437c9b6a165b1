"""Polling a real Dovecot over IMAPS: each message handled once and moved, clear errors."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.inbound.jobs import poll_inbound_mail
from app.inbound.models import InboundMessage, InboundOutcome
from app.inbound.poll import off_message, poll_all
from tests.dovecot import Dovecot, write_ca_and_cert
from tests.inbound.conftest import append, build_message, folder_uids, ledger_count

DONE = "Tickler/Processed"


def test_poll_handles_each_message_once_and_moves_it_to_the_done_folder(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings())
    append(dovecot, *(build_message(n) for n in range(5)))
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
    assert (report.handled, report.duplicates, report.error) == (5, 0, None)
    assert ledger_count(app) == 5
    assert folder_uids(dovecot, "INBOX") == []
    assert len(folder_uids(dovecot, DONE)) == 5


def test_second_poll_finds_nothing_to_do(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings())
    append(dovecot, build_message(1), build_message(2))
    with app.app_context():
        poll_all(db.session, app.config)
        (again,) = poll_all(db.session, app.config)
    assert (again.handled, again.duplicates) == (0, 0)
    assert ledger_count(app) == 2


def test_message_already_in_the_ledger_is_only_moved(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    """A crash between commit and move: the next poll finds a duplicate and just moves it."""
    configure(**dovecot.settings())
    raw = build_message(7)
    append(dovecot, raw)
    with app.app_context():
        poll_all(db.session, app.config)
    append(dovecot, raw)  # as if the move had never happened
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
    assert (report.handled, report.duplicates) == (0, 1)
    assert ledger_count(app) == 1
    assert folder_uids(dovecot, "INBOX") == []


def test_message_over_the_size_limit_is_recorded_unread_and_moved_once(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings(), INBOUND_MAX_MESSAGE_BYTES=2000)
    big = build_message(2, size=5000)
    append(dovecot, build_message(1), big)
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
        (row,) = db.session.scalars(
            select(InboundMessage).where(InboundMessage.outcome == InboundOutcome.TOO_LARGE)
        )
        assert row.size > 5000 and row.subject == "Message number 2"
    assert (report.handled, report.too_large) == (1, 1)
    assert "over INBOUND_MAX_MESSAGE_BYTES" in report.summary()
    assert folder_uids(dovecot, "INBOX") == []
    assert ledger_count(app) == 2


def test_certificate_from_another_ca_is_a_clear_error(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None], tmp_path
) -> None:
    other_ca, _, _ = write_ca_and_cert(tmp_path, "other")
    configure(**dovecot.settings(INBOUND_IMAP_CA_FILE=str(other_ca)))
    append(dovecot, build_message(1))
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
    assert report.error is not None
    assert "certificate is not trusted" in report.error
    assert "INBOUND_IMAP_CA_FILE" in report.error
    assert ledger_count(app) == 0


def test_wrong_password_is_a_clear_error_without_the_password(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings(INBOUND_IMAP_PASSWORD="not-the-password-123"))
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
    assert report.error is not None
    assert "refused the login of 'tickler'" in report.error
    assert "not-the-password-123" not in report.error


def test_unreachable_server_is_a_clear_error(app: Flask, configure: Callable[..., None]) -> None:
    from tests.processes import free_port

    configure(INBOUND_IMAP_HOST="127.0.0.1", INBOUND_IMAP_PORT=free_port())
    with app.app_context():
        (report,) = poll_all(db.session, app.config)
    assert report.error is not None and "cannot reach" in report.error


def test_poll_job_says_inbound_mail_is_off_when_nothing_is_configured(
    app: Flask, configure: Callable[..., None]
) -> None:
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=None)
    with app.app_context():
        result = poll_inbound_mail.run()
    assert result == {"result": off_message()}


def test_poll_job_reports_what_it_did(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings(), INBOUND_MAILDIR=None)
    append(dovecot, build_message(1))
    with app.app_context():
        result = poll_inbound_mail.run()
    assert result["result"] == "imap: 1 handled."
