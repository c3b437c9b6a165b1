"""Finding the real services tests need, and skipping (or failing under CI) when one is absent."""

from __future__ import annotations

import atexit
import functools
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


def pytest_process() -> str:
    """Which pytest process this is: each xdist worker of each run is one of its own (the
    worker id alone repeats in a pytest run started by a test), without xdist the only one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return "main"
    return f"{os.environ.get('PYTEST_XDIST_TESTRUNUID', '')}/{worker}"


def inherited_redis_port() -> int | None:
    """The redis-server of the pytest process that started this one (a worker, a command a
    test runs), if any. An xdist worker inherits its controller's environment too, but it is a
    pytest process of its own: it must not share, or two files using the same database number
    at once would take each other's jobs."""
    given = os.environ.get("TICKLER_TEST_REDIS_PORT")
    if given and os.environ.get("TICKLER_TEST_REDIS_OWNER") == pytest_process():
        return int(given)
    return None


def start_redis_for_this_process() -> int:
    """Start this pytest process's own redis-server (Debian's redis-server) on a free port,
    stopped when the process ends (atexit, or with it when it is killed). Returns 0, with
    nothing listening, when no redis-server is installed."""
    if not redis_server_installed():
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="tickler-test-redis-"))
    server = PrivateRedis(workdir, die_with_parent=True)
    server.start()
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    atexit.register(server.stop)  # runs first
    os.environ["TICKLER_TEST_REDIS_PORT"] = str(server.port)
    os.environ["TICKLER_TEST_REDIS_OWNER"] = pytest_process()
    return server.port


@functools.cache
def session_redis_port() -> int:
    """The port of this pytest process's own redis-server, started on first use (the xdist
    controller, which runs no test, starts none): every test that says REDIS_HOST:REDIS_PORT
    uses it, whatever database it picks, and purges only what is its own. With no
    redis-server installed it is 0 and the tests that need Redis skip (fail under CI=true)."""
    return inherited_redis_port() or start_redis_for_this_process()


def __getattr__(name: str) -> int:
    """`REDIS_PORT`, read on first use (PEP 562), so importing this module starts nothing."""
    if name == "REDIS_PORT":
        return session_redis_port()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


REDIS_HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def redis_available() -> bool:
    port = session_redis_port()
    return port != 0 and port_open(REDIS_HOST, port)


def postgres_available() -> bool:
    return port_open("127.0.0.1", 5432)


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)
