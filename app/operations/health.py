"""Readiness checks: database, broker, a live worker, and beat's last tick, each timed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from celery import Celery
from sqlalchemy import text

from app.core.database import DbSession


@dataclass(frozen=True)
class Check:
    ok: bool
    ms: int
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def timed(probe: Callable[[], tuple[bool, str, dict[str, Any]]]) -> Check:
    """Run one probe; an exception is a failed check with its reason, never a crash."""
    started = time.monotonic()
    try:
        ok, detail, data = probe()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", said plainly
        ok, detail, data = False, f"{type(error).__name__}: {error}"[:300], {}
    return Check(ok, int((time.monotonic() - started) * 1000), detail, data)


def database_check(session: DbSession) -> Check:
    def probe() -> tuple[bool, str, dict[str, Any]]:
        session.execute(text("SELECT 1"))
        return True, "", {}

    result = timed(probe)
    session.rollback()
    return result


def broker_check(celery: Celery, timeout: float) -> Check:
    def probe() -> tuple[bool, str, dict[str, Any]]:
        with celery.connection_for_write() as connection:
            # kombu takes seconds as a float; celery-types says int.
            connection.ensure_connection(max_retries=1, timeout=timeout)  # type: ignore[arg-type]
        return True, "", {}

    return timed(probe)


def worker_check(celery: Celery, timeout: float) -> Check:
    """A worker answering a ping over the broker right now: the heartbeat that matters."""

    def probe() -> tuple[bool, str, dict[str, Any]]:
        # limit=1: return at the first reply; without it ping always waits the whole timeout.
        replies = celery.control.ping(timeout=timeout, limit=1) or []
        names = sorted(name for reply in replies for name in reply)
        if not names:
            return False, f"no worker answered within {timeout:g} s", {"workers": []}
        return True, "", {"workers": names}

    return timed(probe)


def beat_check(last_tick: Callable[[], datetime | None], now: datetime, max_age: int) -> Check:
    def probe() -> tuple[bool, str, dict[str, Any]]:
        tick = last_tick()
        if tick is None:
            return False, "beat has not ticked yet", {"last_tick": None}
        age = int((now - tick).total_seconds())
        data = {"last_tick": tick.isoformat(), "age_seconds": age}
        if age > max_age:
            return False, f"beat last ticked {age} s ago (limit {max_age} s)", data
        return True, "", data

    return timed(probe)


def readiness(checks: dict[str, Check]) -> tuple[dict[str, Any], int]:
    """The JSON body and status code: 200 when every check passed, 503 otherwise."""
    ready = all(check.ok for check in checks.values())
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {name: asdict(check) for name, check in checks.items()},
    }
    return body, 200 if ready else 503


class CachedAnswer:
    """The last answer, shared by callers within `seconds` of it; callers arriving while it
    is computed wait for it instead of running the checks again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._answer: Any = None
        self._computed_at = 0.0

    def get(self, compute: Callable[[], Any], seconds: float) -> Any:
        with self._lock:
            if self._answer is None or self.clock() - self._computed_at >= seconds:
                self._answer = compute()
                self._computed_at = self.clock()
            return self._answer


def public_body(body: dict[str, Any]) -> dict[str, Any]:
    """What anyone may see: ready or not. Checks, timings and worker names need the token."""
    return {"status": body["status"]}
