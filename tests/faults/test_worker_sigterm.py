"""SIGTERM to a worker in the middle of a long job: the job goes back to the queue at once and
completes on the restarted worker, without sending anything twice.

As deployed (deploy/tickler-worker@.service, Procfile) the worker runs with
REMAP_SIGTERM=SIGQUIT, so SIGTERM is Celery's cold shutdown with a soft phase: running jobs get
WORKER_SOFT_SHUTDOWN_TIMEOUT seconds to finish, then the late-acknowledged ones are cancelled
and requeued, instead of being cut by the supervisor's SIGKILL and left for the visibility
timeout (two hours)."""

from __future__ import annotations

import signal
import time

import pytest

from app.core.email.models import EmailKind
from tests.faults.harness import (
    assert_once_each,
    own_redis,
    people_with_tasks_due,
    producer,
    require_postgres_and_redis_server,
    settled,
    wait_until,
    worker,
    worker_env,
)
from tests.faults.smtp_faults import running_smtp

pytestmark = [pytest.mark.faults, pytest.mark.timeout(120)]

PEOPLE = 60
SECONDS_PER_EMAIL = 0.25  # one chunk of 60 takes 15 s: a long job


def test_sigterm_mid_chunk_requeues_the_job_and_the_restarted_worker_finishes_it(
    app, database_url, tmp_path
):
    require_postgres_and_redis_server()
    people = people_with_tasks_due(app, PEOPLE)
    with running_smtp(SECONDS_PER_EMAIL) as smtp, own_redis(tmp_path) as broker:
        env = worker_env(
            database_url,
            broker.url,
            smtp.port,
            DIGEST_CHUNK_SIZE=str(PEOPLE),
            REMAP_SIGTERM="SIGQUIT",
            WORKER_SOFT_SHUTDOWN_TIMEOUT="2",
            # Far above the test: the job must come back by the requeue, not by expiry.
            BROKER_VISIBILITY_TIMEOUT="3600",
        )
        send = producer(broker.url)
        with worker(env, "--pool=prefork", "--concurrency=1") as first:
            first.wait_for("ready.", timeout=60)
            send.send_task("app.tasks.task_management.send_task_reminders", queue="reminders")
            smtp.wait_for(10, timeout=30)
            stopped = time.monotonic()
            first.process.send_signal(signal.SIGTERM)  # the main process, as systemd does
            first.process.wait(30)
            took = time.monotonic() - stopped
            sent_by_first = len(smtp.messages)
        assert sent_by_first < PEOPLE, "the job must still be running at SIGTERM"
        assert took < 2 + 8, f"shutdown took {took:.1f} s: it waited for the whole job"
        assert "Soft Shutdown" in first.output, first.output[-3000:]

        with worker(env, "--pool=prefork", "--concurrency=1") as second:
            second.wait_for("ready.", timeout=60)
            wait_until(settled(app, EmailKind.TASK_REMINDER, PEOPLE), 60, "the chunk done")
            smtp.wait_for(PEOPLE, timeout=5)
        assert_once_each(app, smtp.messages, EmailKind.TASK_REMINDER, people)
        assert "emails an earlier run of this job sent" in second.output
