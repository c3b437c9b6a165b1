"""IMAP IDLE picks up mail as it arrives; the LMTP server takes only our addresses and says
250 once the message is committed."""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask

from app.inbound.idle import run_idle
from app.inbound.lmtp import lmtp_controller
from tests.dovecot import Dovecot
from tests.inbound.conftest import INBOUND_ADDRESS, append, build_message, ledger_count
from tests.processes import free_port


def wait_until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came true")
        time.sleep(0.1)


def test_idle_handles_a_message_appended_after_it_started(
    app: Flask, dovecot: Dovecot, configure: Callable[..., None]
) -> None:
    configure(**dovecot.settings())
    append(dovecot, build_message(1))
    said: list[str] = []
    stop = threading.Event()
    idler = threading.Thread(target=run_idle, args=(app, stop, said.append, 2), daemon=True)
    idler.start()
    try:
        wait_until(lambda: ledger_count(app) == 1)
        wait_until(lambda: any("Connected" in line for line in said))
        append(dovecot, build_message(2))
        wait_until(lambda: ledger_count(app) == 2)
    finally:
        stop.set()
        idler.join(30)
    assert not idler.is_alive()


@pytest.fixture
def lmtp_server(app: Flask, configure: Callable[..., None]):  # noqa: ANN201
    configure(INBOUND_ADDRESS=INBOUND_ADDRESS)
    controller = lmtp_controller(app, "127.0.0.1", free_port())
    controller.start()
    yield controller
    controller.stop()


def test_lmtp_delivery_is_handled_once_and_answered_per_recipient(app: Flask, lmtp_server) -> None:  # noqa: ANN001
    raw = build_message(3)
    recipients = ["tickler+p-abc@example.test", "tickler+p-def@example.test"]
    with smtplib.LMTP(lmtp_server.hostname, lmtp_server.port) as client:
        client.ehlo_or_helo_if_needed()
        client.mail("person3@example.test")
        assert [client.rcpt(address)[0] for address in recipients] == [250, 250]
        # LMTP: one answer per recipient after the data (smtplib reads only the first).
        assert client.data(raw)[0] == 250
        assert client.getreply()[0] == 250
        client.sendmail("person3@example.test", recipients[:1], raw)  # the MTA retries
    assert ledger_count(app) == 1


def test_lmtp_refuses_addresses_that_are_not_ours(app: Flask, lmtp_server) -> None:  # noqa: ANN001
    with smtplib.LMTP(lmtp_server.hostname, lmtp_server.port) as client:
        client.ehlo_or_helo_if_needed()
        client.mail("someone@example.test")
        code, message = client.rcpt("postmaster@example.test")
    assert code == 550
    assert b"not an address of this Tickler" in message
    assert ledger_count(app) == 0
