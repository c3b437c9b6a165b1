"""`flask inbound idle`: keep one IMAP connection open and handle mail the moment it arrives
(IMAP IDLE), reconnecting with backoff when the connection drops."""

from __future__ import annotations

import imaplib
import logging
import threading
from collections.abc import Callable

from flask import Flask
from imap_tools.errors import ImapToolsError

from app.extensions import db
from app.inbound.imap_transport import ImapSettings, _logout, connect, process_waiting
from app.inbound.transports import InboundMailError, PollReport

log = logging.getLogger(__name__)

# Servers end an IDLE after 30 minutes (RFC 2177); re-issuing it sooner also notices a dead
# connection. Stopping waits at most this long, unless a signal interrupts the wait.
IDLE_SECONDS = 5 * 60
BACKOFF_SECONDS = (1, 2, 5, 15, 30, 60)


def server_offers_idle(app: Flask) -> bool:
    settings = ImapSettings.from_config(app.config)
    box = connect(settings)
    try:
        return "IDLE" in box.client.capabilities
    finally:
        _logout(box)


def run_idle(
    app: Flask,
    stop: threading.Event,
    say: Callable[[str], None] = log.info,
    idle_seconds: float = IDLE_SECONDS,
) -> None:
    """Handle what waits, then IDLE and handle each arrival, until `stop` is set."""
    settings = ImapSettings.from_config(app.config)
    failures = 0
    while not stop.is_set():
        try:
            box = connect(settings)
        except InboundMailError as error:
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            failures += 1
            say(f"{error} Trying again in {delay} s.")
            stop.wait(delay)
            continue
        failures = 0
        say(f"Connected: {settings.describe()}.")
        try:
            _idle_on(app, box, settings, stop, say, idle_seconds)
        except (imaplib.IMAP4.error, ImapToolsError, OSError) as error:
            say(f"The IMAP connection dropped ({error}); reconnecting.")
        finally:
            _logout(box)


def _idle_on(
    app: Flask,
    box: object,
    settings: ImapSettings,
    stop: threading.Event,
    say: Callable[[str], None],
    idle_seconds: float,
) -> None:
    from imap_tools import BaseMailBox

    assert isinstance(box, BaseMailBox)
    while not stop.is_set():
        with app.app_context():
            report: PollReport = process_waiting(box, db.session, settings)
            db.session.remove()
        if report.handled or report.duplicates or report.error or report.too_large:
            say(report.summary())
        if report.error:
            stop.wait(BACKOFF_SECONDS[2])  # the database failed: give it a moment
            continue
        box.idle.wait(timeout=idle_seconds)
