"""A redis-server of one's own on a free loopback port, for the tests, the fault tests and the
bench, so none of them reads, fills or purges the machine's Redis."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

BINARY = "redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_installed() -> bool:
    return shutil.which(BINARY) is not None


def redis_server_command(
    port: int, workdir: Path, persistent: bool = False, settings: tuple[str, ...] = ()
) -> list[str]:
    """Loopback only; no snapshots. `persistent` keeps the queues across a restart (append-only
    file, synced on every write), as a production broker does; `settings` come last and win
    (e.g. "--maxmemory-policy", "allkeys-lru")."""
    persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persistent else []
    return [
        BINARY,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        *(persistence or ["--appendonly", "no"]),
        "--dir",
        str(workdir),
        *settings,
    ]


def redis_answers(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def load_prctl() -> Callable[[int, int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up before any fork: between fork and exec the child only makes this one libc call,
# which is safe even when other threads run (a test process starts its server lazily).
PRCTL = load_prctl()


def stop_on_parent_death() -> None:
    """Linux: the child gets SIGTERM when the thread that started it dies, even by SIGKILL, so
    a killed test run leaves no redis-server behind."""
    if PRCTL is not None:
        PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class PrivateRedis:
    """One redis-server, started and stopped at will on the same port; its log in `workdir`."""

    def __init__(
        self,
        workdir: Path,
        persistent: bool = False,
        port: int | None = None,
        die_with_parent: bool = False,
        settings: tuple[str, ...] = (),
    ) -> None:
        self.workdir = workdir
        self.settings = settings
        self.persistent = persistent
        # Start from the main thread: the server is stopped when the starting thread ends.
        self.die_with_parent = die_with_parent
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.url_for(0)

    def url_for(self, database: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 20.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.workdir / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                redis_server_command(self.port, self.workdir, self.persistent, self.settings),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=stop_on_parent_death if self.die_with_parent else None,
            )
        deadline = time.monotonic() + timeout
        while not redis_answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_text = (self.workdir / "redis.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} did not start:\n{log_text}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, as the OOM killer would: without persistence, every queued job is gone."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.process = None


@contextmanager
def private_redis(workdir: Path, persistent: bool = False) -> Iterator[PrivateRedis]:
    server = PrivateRedis(workdir, persistent)
    server.start()
    try:
        yield server
    finally:
        server.stop()
