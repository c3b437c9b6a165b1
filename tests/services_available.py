"""Finding the real services tests need, and skipping (or failing under CI) when one is absent."""

from __future__ import annotations

import os
import shutil
import socket

import pytest


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


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def redis_available() -> bool:
    return port_open(REDIS_HOST, REDIS_PORT)


def postgres_available() -> bool:
    return port_open("127.0.0.1", 5432)


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)
