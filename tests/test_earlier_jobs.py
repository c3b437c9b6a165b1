"""wait_for_earlier_jobs: a test that compares what is stored is safe from jobs of earlier tests."""

from __future__ import annotations

import time

import pytest

from tests.conftest import wait_for_earlier_jobs

pytestmark = pytest.mark.worker


def held_for_later(celery) -> list:
    replies = celery.control.inspect(timeout=2).scheduled() or {}
    return [job for jobs in replies.values() for job in jobs]


def test_a_job_the_worker_holds_for_its_countdown_never_runs_after_the_wait(app, celery_worker):
    celery = app.extensions["celery"]
    held = celery.tasks["app.tasks.demo_tasks.add"].apply_async((2, 3), countdown=6)
    due = time.monotonic() + 6
    deadline = time.monotonic() + 60
    while not held_for_later(celery):
        assert time.monotonic() < deadline, "the worker never took the job"
    wait_for_earlier_jobs(app)
    # Past its countdown the worker discards it instead of running it.
    time.sleep(max(0.0, due - time.monotonic()) + 2)
    assert held.state == "REVOKED"
    # Discarded, not still held. (Only this job is asked about: an earlier test's job revoked by
    # the same wait stays listed until its own, later countdown ends, and then is dropped too.)
    still_held = [job["request"]["id"] for job in held_for_later(celery)]
    assert held.id not in still_held


def test_a_job_held_for_longer_than_the_timeout_does_not_make_the_wait_fail(app, celery_worker):
    celery = app.extensions["celery"]
    held = celery.tasks["app.tasks.demo_tasks.add"].apply_async((2, 3), countdown=3600)
    deadline = time.monotonic() + 60
    while not held_for_later(celery):
        assert time.monotonic() < deadline, "the worker never took the job"
    wait_for_earlier_jobs(app, timeout=5)
    assert held.state == "REVOKED"
