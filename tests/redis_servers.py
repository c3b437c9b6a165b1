"""A redis-server of a test's own, with the settings the test wants, on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.private_redis import PrivateRedis, redis_server_installed
from tests.services_available import require


@contextmanager
def redis_server(workdir: Path, *settings: str) -> Iterator[str]:
    """Start redis-server with `settings` (e.g. "--appendonly", "no"); yields its URL."""
    require(redis_server_installed(), "redis-server is not installed")
    server = PrivateRedis(workdir, settings=settings)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
