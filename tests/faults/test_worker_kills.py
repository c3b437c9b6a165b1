"""A worker killed in the middle of a 1,000-person reminder run: every email arrives, none twice.

The ledger is settled once per chunk; what a chunk sent before the kill is known only from the
marks it wrote to Redis as each email was accepted (app/core/email/sent_marks.py)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from app.core.email.models import EmailKind
from tests.faults.harness import (
    assert_once_each,
    kill_group,
    own_redis,
    people_with_tasks_due,
    pool_children,
    producer,
    require_postgres_and_redis_server,
    settled,
    wait_until,
    worker,
    worker_env,
)
from tests.faults.smtp_faults import running_smtp

pytestmark = [pytest.mark.faults, pytest.mark.timeout(180)]

PEOPLE = 1000
REMINDERS = "app.tasks.task_management.send_task_reminders"


@pytest.fixture
def stack(app, database_url, tmp_path):
    """1,000 people with a task due soon, a Redis of our own and a slowish SMTP server (5 ms
    per message, so a chunk of 100 is still sending when the test strikes)."""
    require_postgres_and_redis_server()
    addresses = people_with_tasks_due(app, PEOPLE)
    with own_redis(tmp_path) as broker, running_smtp(delay=0.005) as smtp:
        env = worker_env(database_url, broker.url, smtp.port)
        yield addresses, broker, smtp, env


def test_a_worker_killed_mid_run_and_restarted_sends_each_reminder_once(app, stack):
    addresses, broker, smtp, env = stack
    with worker(env, "--pool=prefork", "--concurrency=2") as first:
        first.wait_for("ready.", timeout=60)
        producer(broker.url).send_task(REMINDERS, queue="reminders")
        smtp.wait_for(250, timeout=90)
        kill_group(first)  # the main process and its pool, mid-chunk
        killed_at = time.monotonic()  # nothing of theirs arrives after this
    before_restart = len(smtp.messages)
    assert before_restart < PEOPLE, "the kill must come in the middle of the run"

    with worker(env, "--pool=prefork", "--concurrency=2") as second:
        second.wait_for("ready.", timeout=60)
        # The killed worker's chunks come back after the visibility timeout (10 s here).
        wait_until(settled(app, EmailKind.TASK_REMINDER, PEOPLE), 120, "every delivery settled")
        smtp.wait_for(PEOPLE, timeout=5)
    assert_once_each(
        app,
        smtp.messages,
        EmailKind.TASK_REMINDER,
        addresses,
        killed_at=killed_at,
        processes_killed=2,
        quit_sessions=smtp.handler.quit_sessions,
    )
    # The redelivered chunk that was mid-send skipped the emails its first run had marked.
    assert "emails an earlier run of this job sent" in second.output, second.output[-3000:]


def test_a_pool_child_killed_mid_chunk_is_replaced_and_sends_each_reminder_once(app, stack):
    addresses, broker, smtp, env = stack
    with worker(env, "--pool=prefork", "--concurrency=2") as running_worker:
        running_worker.wait_for("ready.", timeout=60)
        producer(broker.url).send_task(REMINDERS, queue="reminders")
        smtp.wait_for(250, timeout=90)
        children = pool_children(running_worker.process.pid)
        assert children, "a prefork worker has pool processes"
        os.kill(children[0], signal.SIGKILL)  # only one pool process; the main one lives on
        wait_until(
            lambda: (
                not os.path.exists(f"/proc/{children[0]}/status")
                or "zombie" in open(f"/proc/{children[0]}/status").read()
            ),
            10,
            "the kill",
        )
        killed_at = time.monotonic()
        assert len(smtp.messages) < PEOPLE, "the kill must come in the middle of the run"
        # reject_on_worker_lost: the main process puts the lost chunk back at once, and the
        # pool starts a new child to take it.
        wait_until(settled(app, EmailKind.TASK_REMINDER, PEOPLE), 120, "every delivery settled")
        smtp.wait_for(PEOPLE, timeout=5)
        output = running_worker.output
    assert "WorkerLostError" in output or "SIGKILL" in output, output[-3000:]
    assert_once_each(
        app,
        smtp.messages,
        EmailKind.TASK_REMINDER,
        addresses,
        killed_at=killed_at,
        processes_killed=1,
        quit_sessions=smtp.handler.quit_sessions,
    )
    assert "emails an earlier run of this job sent" in output, output[-3000:]
