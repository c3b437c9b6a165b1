"""The database failing mid-batch leaves the rest for the next poll; LMTP answers 451 so the
MTA retries; two polls at once do not both read the mailbox."""

from __future__ import annotations

import mailbox
import smtplib
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from app.core.email.live_runs import run_held
from app.extensions import db
from app.inbound import jobs, lmtp, transports
from app.inbound.poll import poll_all
from app.inbound.service import handle_inbound
from tests.inbound.conftest import INBOUND_ADDRESS, build_message, ledger_count
from tests.processes import free_port


def failing_after(calls: int) -> Callable[..., object]:
    """handle_inbound that works `calls` times, then finds the database gone."""
    seen = {"n": 0}

    def handle(*args: object, **kwargs: object) -> object:
        seen["n"] += 1
        if seen["n"] > calls:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return handle_inbound(*args, **kwargs)  # type: ignore[arg-type]

    return handle


def test_database_failing_mid_batch_leaves_the_rest_for_the_next_poll(
    app: Flask, configure: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "inbound"
    box = mailbox.Maildir(root, create=True)
    for number in range(5):
        box.add(build_message(number))
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=str(root))
    monkeypatch.setattr(transports, "handle_inbound", failing_after(2))
    with app.app_context():
        (broken,) = poll_all(db.session, app.config)
    assert (broken.handled, broken.left) == (2, 3)
    assert broken.error is not None and "database failed" in broken.error
    assert len(mailbox.Maildir(root, create=False).keys()) == 3
    monkeypatch.setattr(transports, "handle_inbound", handle_inbound)
    with app.app_context():
        (resumed,) = poll_all(db.session, app.config)
    assert resumed.handled == 3 and ledger_count(app) == 5


def test_lmtp_answers_451_when_the_database_fails(
    app: Flask, configure: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(INBOUND_ADDRESS=INBOUND_ADDRESS)
    monkeypatch.setattr(lmtp, "handle_inbound", failing_after(0))
    controller = lmtp.lmtp_controller(app, "127.0.0.1", free_port())
    controller.start()
    try:
        with smtplib.LMTP(controller.hostname, controller.port) as client:
            client.ehlo_or_helo_if_needed()
            client.mail("a@example.test")
            client.rcpt("tickler+p-abc@example.test")
            code, message = client.data(build_message(1))
    finally:
        controller.stop()
    assert code == 451 and b"try again later" in message
    assert ledger_count(app) == 0


def test_a_poll_while_another_runs_leaves_the_mailbox_to_it(
    app: Flask, configure: Callable[..., None], tmp_path: Path
) -> None:
    root = tmp_path / "inbound"
    mailbox.Maildir(root, create=True).add(build_message(1))
    configure(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=str(root))
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the poll lock is PostgreSQL's advisory lock")
        with run_held(db.engine, jobs.POLL_LOCK) as held:
            assert held
            busy = jobs.poll_inbound_mail.run()
        assert busy["result"] == jobs.BUSY
        assert ledger_count(app) == 0
        done = jobs.poll_inbound_mail.run()
    assert done["result"] == "maildir: 1 handled."
