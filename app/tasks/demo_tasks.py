"""Small tasks for checking a setup end to end (used by test_celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="app.tasks.demo_tasks.ping")
def ping() -> str:
    return "pong"


@shared_task(name="app.tasks.demo_tasks.add")
def add(x: int, y: int) -> int:
    return x + y
