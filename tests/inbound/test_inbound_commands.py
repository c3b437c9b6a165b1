"""`flask inbound lmtp | idle | poll` as operators run them: real processes, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import time

import pytest
from flask import Flask

from tests.dovecot import Dovecot
from tests.inbound.conftest import INBOUND_ADDRESS, append, build_message, ledger_count
from tests.processes import ROOT, free_port, python_env, running
from tests.services_available import postgres_available, require

FLASK = ["-m", "flask", "--app", "app:create_app", "inbound"]


@pytest.fixture
def env(app: Flask, database_url: str) -> dict[str, str]:
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    return python_env(
        TICKLER_ENV="development", DATABASE_URL=database_url, INBOUND_ADDRESS=INBOUND_ADDRESS
    )


def stop_with_sigterm(process: subprocess.Popen[str]) -> int:
    os.killpg(process.pid, signal.SIGTERM)
    return process.wait(30)


def wait_for_count(app: Flask, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while ledger_count(app) != count:
        assert time.monotonic() < deadline, f"never reached {count} inbound messages"
        time.sleep(0.2)


def test_lmtp_command_takes_mail_and_stops_cleanly_on_sigterm(
    app: Flask, env: dict[str, str]
) -> None:
    port = free_port()
    with running([*FLASK, "lmtp", "--port", str(port)], env) as server:
        server.wait_for(f"LMTP on 127.0.0.1:{port}", timeout=60)
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.sendmail("a@example.test", ["tickler+p-abc@example.test"], build_message(1))
        assert ledger_count(app) == 1
        assert stop_with_sigterm(server.process) == 0
        server.wait_for("Stopped.")


def test_idle_command_handles_new_mail_and_stops_cleanly_on_sigterm(
    app: Flask, env: dict[str, str], dovecot: Dovecot
) -> None:
    env.update({name: str(value) for name, value in dovecot.settings().items()})
    with running([*FLASK, "idle"], env) as idler:
        idler.wait_for("Connected", timeout=60)
        append(dovecot, build_message(1))
        wait_for_count(app, 1)
        assert stop_with_sigterm(idler.process) == 0
        idler.wait_for("Stopped.")


def test_poll_command_says_what_it_did(app: Flask, env: dict[str, str], dovecot: Dovecot) -> None:
    env.update({name: str(value) for name, value in dovecot.settings().items()})
    append(dovecot, build_message(1), build_message(2))
    done = subprocess.run(
        [sys.executable, *FLASK, "poll"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "imap: 2 handled." in done.stdout
    assert dovecot.settings()["INBOUND_IMAP_PASSWORD"] not in done.stdout + done.stderr
