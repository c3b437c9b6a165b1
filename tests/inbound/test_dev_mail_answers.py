"""/dev/mail's Reply and Bounce: real mail, through the same router `make run` uses, lands in
the inbound Maildir where the poll job reads it."""

from __future__ import annotations

import mailbox
import smtplib
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.inbound.jobs import poll_inbound_mail
from app.operations import dev_mailbox
from scripts.devstack.mail_router import DevMailRouter
from tests.conftest import DEFAULT_PASSWORD
from tests.inbound.conftest import ledger_count
from tests.processes import free_port

REPLY_TO = "tickler+r-1-2-3-abcdefghabcdefgh@localhost"
RETURN_PATH = "tickler+b-9-abcdefghabcdefgh@localhost"


@pytest.fixture(autouse=True)
def queued_polls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The poll each answer asks for, kept here to run in the test: on the session's worker it
    raced the test's own poll for the same message (seen as a 'duplicate' in a full run)."""
    queued: list[Any] = []

    def keep(task: Any, *args: Any, **kwargs: Any) -> str:
        queued.append(task)
        return "kept-by-the-test"

    monkeypatch.setattr(dev_mailbox, "try_queue", keep)
    return queued


@pytest.fixture
def dev_smtp(tmp_path: Path):  # noqa: ANN201
    router = DevMailRouter(tmp_path / "devmail", tmp_path / "inbound", "tickler@localhost")
    controller = Controller(router, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, tmp_path / "devmail", tmp_path / "inbound"
    controller.stop()


def send_task_email(port: int) -> None:
    email = EmailMessage()
    email["From"] = "Tickler <tickler@localhost>"
    email["To"] = "Alice <alice@example.test>"
    email["Reply-To"] = REPLY_TO
    # Curly quotes, as Tickler's subjects have: the bounce quotes the header RFC 2047-encoded.
    email["Subject"] = "Bob commented on “Write the launch post”"
    email["Date"] = "Sun, 01 Mar 2026 09:00:00 +0000"
    email["Message-ID"] = "<task-email-1@localhost>"
    email.set_content("Bob commented: can you take this?\n")
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail(RETURN_PATH, ["alice@example.test"], email.as_bytes())


def only_message(folder: Path) -> EmailMessage:
    box = mailbox.Maildir(folder, factory=None, create=False)
    (key,) = box.keys()
    message = message_from_bytes(box.get_bytes(key), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def setup_app(make_app, make, dev_smtp):  # noqa: ANN001, ANN201
    controller, devmail, inbound = dev_smtp
    app = make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        DEV_MAILBOX_DIR=str(devmail),
        INBOUND_ADDRESS="tickler@localhost",
        INBOUND_MAILDIR=str(inbound),
    )
    make.user(email="admin@example.com", is_admin=True)
    client = app.test_client()
    client.post("/login", data={"email": "admin@example.com", "password": DEFAULT_PASSWORD})
    send_task_email(controller.port)
    (key,) = mailbox.Maildir(devmail, factory=None, create=False).keys()
    return app, client, key, inbound


def test_reply_from_dev_mail_is_a_real_reply_that_the_poll_reads(
    make_app,
    make,
    dev_smtp,  # noqa: ANN001
    queued_polls: list[Any],
) -> None:
    app, client, key, inbound = setup_app(make_app, make, dev_smtp)
    page = client.get(f"/dev/mail/{key}").get_data(as_text=True)
    assert "Send reply" in page and "Bounce this email" in page
    answered = client.post(f"/dev/mail/{key}/reply", data={"body": "On it, done by Friday."})
    assert answered.status_code == 302
    reply = only_message(inbound)
    assert reply["To"] == REPLY_TO and reply["From"] == "alice@example.test"
    assert reply["Subject"] == "Re: Bob commented on “Write the launch post”"
    assert reply["In-Reply-To"] == "<task-email-1@localhost>"
    text = reply.get_content()
    assert text.startswith("On it, done by Friday.")
    assert "wrote:\n> Bob commented: can you take this?" in text
    flashed = client.get(f"/dev/mail/{key}").get_data(as_text=True)
    assert "Reply sent to" in flashed
    assert queued_polls == [poll_inbound_mail]
    with app.app_context():
        outcome = poll_inbound_mail.apply().get()
    assert outcome["transports"][0]["handled"] == 1 and ledger_count(app) == 1


def test_bounce_from_dev_mail_is_an_rfc3464_report_to_the_envelope_sender(
    make_app,
    make,
    dev_smtp,  # noqa: ANN001
    queued_polls: list[Any],
) -> None:
    app, client, key, inbound = setup_app(make_app, make, dev_smtp)
    client.post(f"/dev/mail/{key}/bounce")
    assert queued_polls == [poll_inbound_mail]
    dsn = only_message(inbound)
    assert dsn["To"] == RETURN_PATH
    assert dsn.get_content_type() == "multipart/report"
    assert dsn.get_param("report-type") == "delivery-status"
    status = [
        part for part in dsn.iter_parts() if part.get_content_type() == "message/delivery-status"
    ]
    assert "Status: 5.1.1" in status[0].as_string()
    assert "Final-Recipient: rfc822; alice@example.test" in status[0].as_string()


def test_empty_reply_is_refused_with_a_message(make_app, make, dev_smtp) -> None:  # noqa: ANN001
    app, client, key, inbound = setup_app(make_app, make, dev_smtp)
    client.post(f"/dev/mail/{key}/reply", data={"body": "  "})
    assert "Write something to reply with." in client.get(f"/dev/mail/{key}").get_data(as_text=True)
    assert list(mailbox.Maildir(inbound, create=True).keys()) == []
