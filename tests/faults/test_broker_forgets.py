"""The broker forgets, the ledger does not: Redis killed with SIGKILL and restarted empty in the
middle of a reminder run (with beat running or not), or a worker killed while its jobs would
only come back after the visibility timeout. Every person gets their reminder, the owed rows
found by the sweep the workers queue themselves, within the issue's bound of 5 minutes after
the fault ends (seconds here: the sweep, lease and grace are shortened by settings).

FAULT_DRILL_PEOPLE=5000 runs the outside drill's size; the default keeps the test short."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from app.core.email.models import EmailKind
from scripts.private_redis import PrivateRedis
from tests.faults.harness import (
    BEAT,
    assert_once_each,
    kill_group,
    people_with_tasks_due,
    producer,
    require_postgres_and_redis_server,
    settled,
    wait_until,
    worker,
    worker_env,
)
from tests.faults.smtp_faults import running_smtp
from tests.processes import running

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

REMINDERS = "app.tasks.task_management.send_task_reminders"
KIND = EmailKind.TASK_REMINDER
PEOPLE = int(os.environ.get("FAULT_DRILL_PEOPLE", "300"))
# The target: every email out within 5 minutes of the service coming back.
RECOVERY_BOUND_SECONDS = 300
SWEEP = {
    "DELIVERY_SWEEP_SECONDS": "3",
    "DELIVERY_LEASE_SECONDS": "6",
    "DELIVERY_QUEUED_GRACE_SECONDS": "5",
}


@contextmanager
def beat(env: dict, wanted: bool) -> Iterator[None]:
    if not wanted:
        yield
        return
    with running(BEAT, env) as process:
        process.wait_for("beat: Starting", timeout=60)
        yield


@pytest.mark.parametrize("with_beat", [False, True], ids=["no-beat", "beat"])
def test_redis_killed_and_restarted_empty_mid_run_still_sends_every_reminder_once(
    app, database_url, tmp_path, with_beat
):
    require_postgres_and_redis_server()
    people = people_with_tasks_due(app, PEOPLE)
    broker = PrivateRedis(tmp_path)  # no persistence: a restart comes back empty
    broker.start()
    with ExitStack() as stack:
        stack.callback(broker.stop)
        smtp = stack.enter_context(running_smtp(delay=0.02))  # the kill falls mid-run
        env = worker_env(database_url, broker.url, smtp.port, **SWEEP)
        process = stack.enter_context(worker(env, "--pool=prefork", "--concurrency=2"))
        process.wait_for("ready.", timeout=60)
        stack.enter_context(beat(env, with_beat))
        producer(broker.url).send_task(REMINDERS, queue="reminders")
        smtp.wait_for(PEOPLE // 5, timeout=120)
        broker.kill()
        time.sleep(3)
        assert len(smtp.messages) < PEOPLE, "the kill must fall in the middle of the run"
        broker.start()  # same port, nothing in it: the queued chunks are gone
        back_at = time.monotonic()
        wait_until(settled(app, KIND, PEOPLE), RECOVERY_BOUND_SECONDS, "every reminder")
        recovered_in = time.monotonic() - back_at
        time.sleep(1)  # room for a wrongly repeated email to arrive
        messages = list(smtp.messages)
    assert recovered_in < RECOVERY_BOUND_SECONDS
    assert_once_each(app, messages, KIND, people)


def test_a_killed_worker_s_chunks_are_swept_long_before_the_visibility_timeout(
    app, database_url, tmp_path
):
    require_postgres_and_redis_server()
    people = people_with_tasks_due(app, PEOPLE)
    broker = PrivateRedis(tmp_path)
    broker.start()
    with ExitStack() as stack:
        stack.callback(broker.stop)
        smtp = stack.enter_context(running_smtp(delay=0.02))
        # An hour: the killed jobs' own redelivery cannot be what finishes the run.
        env = worker_env(
            database_url, broker.url, smtp.port, BROKER_VISIBILITY_TIMEOUT="3600", **SWEEP
        )
        with worker(env, "--pool=prefork", "--concurrency=2") as first:
            first.wait_for("ready.", timeout=60)
            producer(broker.url).send_task(REMINDERS, queue="reminders")
            smtp.wait_for(PEOPLE // 5, timeout=120)
            kill_group(first)
            killed_at = time.monotonic()
        assert len(smtp.messages) < PEOPLE, "the kill must fall in the middle of the run"
        with worker(env, "--pool=prefork", "--concurrency=2") as second:
            second.wait_for("ready.", timeout=60)
            back_at = time.monotonic()
            wait_until(settled(app, KIND, PEOPLE), RECOVERY_BOUND_SECONDS, "every reminder")
            recovered_in = time.monotonic() - back_at
            time.sleep(1)
            output = second.output
        messages = list(smtp.messages)
    assert recovered_in < RECOVERY_BOUND_SECONDS
    assert "sweep queued again" in output
    # The named window: the email on the wire when its process died (accepted, never marked;
    # the server may finish its DATA after the kill).
    assert_once_each(
        app, messages, KIND, people, killed_at=killed_at, processes_killed=2, finishing=0.5
    )
