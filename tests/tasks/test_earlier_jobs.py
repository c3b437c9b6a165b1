"""wait_for_earlier_jobs: a test that compares what is stored waits out jobs of earlier tests."""

from __future__ import annotations

import time

import pytest

from tests.conftest import wait_for_earlier_jobs

pytestmark = pytest.mark.worker


def held_for_later(celery) -> list:
    replies = celery.control.inspect(timeout=2).scheduled() or {}
    return [job for jobs in replies.values() for job in jobs]


def test_waiting_outlasts_a_job_the_worker_holds_for_its_countdown(app, celery_worker):
    celery = app.extensions["celery"]
    held = celery.tasks["app.tasks.demo_tasks.add"].apply_async((2, 3), countdown=3)
    deadline = time.monotonic() + 60
    while not held_for_later(celery):
        assert time.monotonic() < deadline, "the worker never took the job"
    wait_for_earlier_jobs(app)
    assert held.ready() and held.get(timeout=1) == 5
