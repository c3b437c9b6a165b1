"""Small tasks for checking a setup end to end (used by test_celery.py)."""

from __future__ import annotations

from celery import shared_task

from app import task_catalog as catalog


@shared_task(name=catalog.DEMO_PING.name)
def ping() -> str:
    return "pong"


@shared_task(name=catalog.DEMO_ADD.name)
def add(x: int, y: int) -> int:
    return x + y


@shared_task(bind=True, name=catalog.DEMO_FLAKY.name, max_retries=5)
def flaky(self, times: int = 1) -> str:
    """Fails `times` times, retrying at once, then succeeds: a retry to see on the Jobs page."""
    if self.request.retries < times:
        raise self.retry(
            countdown=0, exc=RuntimeError(f"flaky: attempt {self.request.retries + 1}")
        )
    return f"succeeded after {times} retries"


@shared_task(name=catalog.DEMO_FAIL.name)
def fail(reason: str = "demo failure", **details: object) -> None:
    """Always fails with `reason`: a failed run to see (and Retry) on the Jobs page."""
    raise RuntimeError(reason)


@shared_task(name=catalog.DEMO_DB_PING.name)
def db_ping() -> int:
    """One round trip to the database: checks a worker's connection handling."""
    from sqlalchemy import text

    from app.extensions import db

    return db.session.execute(text("SELECT 1")).scalar_one()


@shared_task(name=catalog.DEMO_SLOW_ADD.name, acks_late=True)
def slow_add(x: int, y: int, seconds: float = 0.5) -> int:
    """`add` that takes a while and is acknowledged only when done, like the sending jobs:
    checks that restarting a worker loses nothing."""
    import time

    time.sleep(min(seconds, 10))
    return x + y
