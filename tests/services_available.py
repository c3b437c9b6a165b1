"""Finding the real services tests need, and skipping (or failing under CI) when one is absent."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from scripts.private_redis import PrivateRedis, redis_server_installed


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip with `reason` when a service is missing; under CI=true a missing service fails."""
    if available:
        return
    if running_in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def session_redis_port() -> int:
    """The port of this test run's own redis-server (Debian's redis-server), started once, on
    first import, and stopped when the run ends: every test that says REDIS_HOST:REDIS_PORT
    uses it, whatever database it picks, and purges only what is its own. Processes the tests
    start inherit it through TICKLER_TEST_REDIS_PORT. With no redis-server installed nothing
    listens on the port returned, and the tests that need Redis skip (fail under CI=true)."""
    given = os.environ.get("TICKLER_TEST_REDIS_PORT")
    if given:
        return int(given)
    if not redis_server_installed():
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="tickler-test-redis-"))
    server = PrivateRedis(workdir, die_with_parent=True)
    server.start()
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    atexit.register(server.stop)  # runs first
    os.environ["TICKLER_TEST_REDIS_PORT"] = str(server.port)
    return server.port


REDIS_HOST, REDIS_PORT = "127.0.0.1", session_redis_port()
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def redis_available() -> bool:
    return REDIS_PORT != 0 and port_open(REDIS_HOST, REDIS_PORT)


def postgres_available() -> bool:
    return port_open("127.0.0.1", 5432)


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)
