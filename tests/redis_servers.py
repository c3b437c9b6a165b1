"""A redis-server of a test's own, with the settings the test wants, on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.processes import free_port
from tests.services_available import require


@contextmanager
def redis_server(workdir: Path, *settings: str) -> Iterator[str]:
    """Start redis-server with `settings` (e.g. "--appendonly", "no"); yields its URL."""
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--dir", str(workdir), *settings],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if redis.Redis(port=port, socket_timeout=0.5).ping():
                    break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, f"redis-server on port {port} did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
