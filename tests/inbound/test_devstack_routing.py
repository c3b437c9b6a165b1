"""`make run`'s SMTP server: mail to INBOUND_ADDRESS's plus-addresses lands in the inbound
Maildir (envelope kept), the rest in the dev mailbox, as the real aiosmtpd command runs it."""

from __future__ import annotations

import mailbox
import smtplib
from email import message_from_bytes
from pathlib import Path

from scripts.devstack import settings
from scripts.devstack.mail_router import is_inbound
from scripts.devstack.stack import smtp_command
from tests.inbound.conftest import build_message
from tests.processes import free_port, python_env, running


def test_plus_addresses_of_the_inbound_address_are_inbound() -> None:
    assert is_inbound("tickler+r-1-2-3-abc@localhost", "tickler@localhost")
    assert is_inbound("Tickler@LOCALHOST", "tickler@localhost")
    assert not is_inbound("ticklerx@localhost", "tickler@localhost")
    assert not is_inbound("tickler+r-1@example.com", "tickler@localhost")
    assert is_inbound("tickler-p-x@localhost", "tickler@localhost", "-")


def test_child_environment_gives_make_run_a_local_inbound_mailbox(tmp_path: Path) -> None:
    env = settings.child_environment(
        {"MAIL_DEFAULT_SENDER": "Tickler <tickler@dev.example>"},
        5000,
        smtp_port=8025,
        mailbox_dir=tmp_path / "devmail",
        inbound_maildir=tmp_path / "inbound",
    )
    assert env["INBOUND_ADDRESS"] == "tickler@dev.example"
    assert env["INBOUND_MAILDIR"] == str(tmp_path / "inbound")
    kept = settings.child_environment(
        {"INBOUND_ADDRESS": "me@x.test", "INBOUND_IMAP_HOST": "imap.x.test"},
        5000,
        smtp_port=8025,
        mailbox_dir=tmp_path / "devmail",
        inbound_maildir=tmp_path / "inbound",
    )
    assert kept["INBOUND_ADDRESS"] == "me@x.test" and "INBOUND_MAILDIR" not in kept


def test_dev_smtp_server_splits_inbound_mail_from_the_dev_mailbox(tmp_path: Path) -> None:
    stack = settings.Stack(tmp_path, smtp_port=free_port())
    env = {"INBOUND_ADDRESS": "tickler@localhost", "INBOUND_MAILDIR": str(tmp_path / "in")}
    with running(smtp_command(stack, env)[1:], python_env()) as server:
        server_ready = False
        for _ in range(100):
            try:
                client = smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=5)
                server_ready = True
                break
            except OSError:
                __import__("time").sleep(0.1)
        assert server_ready, server.output
        with client:
            client.sendmail(
                "bounces@localhost",
                ["tickler+r-1-2-3-abc@localhost", "alice@example.test"],
                build_message(1),
            )
    inbound = mailbox.Maildir(tmp_path / "in", factory=None, create=False)
    dev = mailbox.Maildir(stack.mailbox_dir, factory=None, create=False)
    (inbound_raw,) = [inbound.get_bytes(key) for key in inbound.keys()]
    (dev_raw,) = [dev.get_bytes(key) for key in dev.keys()]
    inbound_message = message_from_bytes(inbound_raw)
    assert inbound_message["X-RcptTo"] == "tickler+r-1-2-3-abc@localhost"
    assert inbound_message["Return-Path"] == "<bounces@localhost>"
    assert message_from_bytes(dev_raw)["X-RcptTo"] == "alice@example.test"
