"""Inbound mail under faults, on a real Dovecot: the connection cut mid-FETCH and the poller
SIGKILLed at random moments lose no message and handle none twice."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask

from app.extensions import db
from app.inbound.poll import poll_all
from tests.dovecot import Dovecot
from tests.faults.harness import wait_until
from tests.inbound.conftest import (  # noqa: F401 (fixtures)
    append,
    build_message,
    configure,
    dovecot,
    folder_uids,
    ledger_count,
    ledger_keys,
)
from tests.processes import python_env, running
from tests.services_available import postgres_available, require

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

DONE = "Tickler/Processed"


class CuttingProxy:
    """A TCP proxy to Dovecot (TLS passes through untouched). It can drop its first connection
    once `cut_after` bytes have come from the server, and it can hold every chunk from the
    server for `pace` seconds, so that a poll takes long enough to be killed in the middle
    however fast the machine is."""

    def __init__(self, upstream_port: int, cut_after: int | None = None, pace: float = 0.0) -> None:
        self.upstream_port, self.cut_after, self.pace = upstream_port, cut_after, pace
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            limit = self.cut_after if self.connections == 1 else None
            threading.Thread(
                target=self._pump, args=(client, server, None, 0.0), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(server, client, limit, self.pace), daemon=True
            ).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, limit: int | None, pace: float
    ) -> None:
        sent = 0
        try:
            while data := source.recv(4096):
                if limit is not None and sent + len(data) > limit:
                    sink.sendall(data[: limit - sent])
                    self.cut.set()
                    break
                time.sleep(pace)
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def close(self) -> None:
        self.listener.close()


def test_connection_cut_mid_fetch_then_next_poll_handles_each_message_once(
    app: Flask,
    dovecot: Dovecot,  # noqa: F811
    configure: Callable[..., None],  # noqa: F811
) -> None:
    messages = [build_message(n, size=4000) for n in range(10)]
    append(dovecot, *messages)
    proxy = CuttingProxy(dovecot.port, cut_after=14_000)
    try:
        configure(**dovecot.settings(INBOUND_IMAP_PORT=proxy.port))
        with app.app_context():
            (cut,) = poll_all(db.session, app.config)
            assert proxy.cut.is_set()
            assert cut.error is not None and "the next poll resumes" in cut.error
            assert ledger_count(app) < 10
            (resumed,) = poll_all(db.session, app.config)
    finally:
        proxy.close()
    assert resumed.error is None
    assert ledger_count(app) == 10
    assert folder_uids(dovecot, "INBOX") == []
    assert len(folder_uids(dovecot, DONE)) == 10


def reached_or_ended(app: Flask, target: int, process: subprocess.Popen[str]) -> Callable[[], bool]:
    return lambda: ledger_count(app) >= target or process.poll() is not None


def test_poller_killed_at_random_moments_loses_and_doubles_nothing(
    app: Flask,
    dovecot: Dovecot,  # noqa: F811
    database_url: str,
) -> None:
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    count = 60
    append(dovecot, *(build_message(n, size=2000) for n in range(count)))
    # Kills land on progress, not on a clock: after 0 to 4 more messages have reached the
    # ledger. The paced proxy holds the poller to about one message per 40 ms, so the test
    # sees each step and the moment it aims at comes before the mailbox runs dry, on however
    # fast or slow a machine.
    proxy = CuttingProxy(dovecot.port, pace=0.04)
    settings = dovecot.settings(INBOUND_IMAP_PORT=proxy.port)
    env = python_env(
        TICKLER_ENV="development",
        DATABASE_URL=database_url,
        INBOUND_ADDRESS="tickler@example.test",
        **{name: str(value) for name, value in settings.items()},
    )
    try:
        command = ["-m", "flask", "--app", "app:create_app", "inbound", "poll"]
        chance = random.Random(20)
        kills = mid_batch_kills = 0
        for _ in range(12):
            if not folder_uids(dovecot, "INBOX"):
                break
            before = ledger_count(app)
            target = before + chance.randint(0, 4)
            with running(command, env) as poller:
                poller.wait_for("Reading IMAP", timeout=60)
                wait_until(
                    reached_or_ended(app, target, poller.process),
                    120,
                    f"the poller to reach {target} messages",
                    poll=0.01,
                )
                if poller.process.poll() is None:
                    os.killpg(poller.process.pid, signal.SIGKILL)
                    poller.process.wait(10)
                    kills += 1
                    mid_batch_kills += ledger_count(app) > before
        assert kills >= 2, "the poller was never killed mid-poll: nothing was tested"
        assert mid_batch_kills >= 1, "no kill came after a message was handled"
        with running(command, env) as poller:  # the poll after the last crash
            wait_until(lambda: poller.process.poll() is not None, 120, "the last poll to end")
            assert poller.process.returncode == 0, poller.output
    finally:
        proxy.close()
    assert ledger_count(app) == count
    assert len(set(ledger_keys(app))) == count
    assert folder_uids(dovecot, "INBOX") == []
    assert len(folder_uids(dovecot, DONE)) == count
