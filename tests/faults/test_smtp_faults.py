"""The SMTP server misbehaves while a real worker sends reminders: transient faults are retried
with backoff under the same Message-ID and delivered once; permanent ones are marked failed;
a server that never answers costs a worker MAIL_TIMEOUT, not its life.

The issue speaks of a server refusing connections for two minutes. With the production backoff
(MAIL_RETRY_BASE_SECONDS=30: tries at about 0, 30, 90, 210 and 450 s) a two-minute outage is
crossed at the third or fourth try. These tests scale time down instead of waiting: base 1 s,
cap 2 s, and a four-second outage, the same mechanism at the same ratio of outage to backoff."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery

from app.core.email.models import DeliveryStatus, EmailKind
from tests.faults.harness import (
    assert_once_each,
    ledger_rows,
    own_redis,
    people_with_tasks_due,
    producer,
    require_postgres_and_redis_server,
    settled,
    wait_until,
    worker,
    worker_env,
)
from tests.faults.smtp_faults import FaultySmtp, running_smtp
from tests.processes import Running

pytestmark = [pytest.mark.faults, pytest.mark.timeout(90)]

REMINDERS = "app.tasks.task_management.send_task_reminders"
KIND = EmailKind.TASK_REMINDER


@dataclass
class Stack:
    smtp: FaultySmtp
    send: Celery
    worker: Running

    def run_reminders(self) -> None:
        self.send.send_task(REMINDERS, queue="reminders")


@contextmanager
def running_stack(database_url: str, tmp_path: Path, **settings: str) -> Iterator[Stack]:
    """One worker with one pool process (so a wedged send would block everything), its own
    Redis, and a scriptable SMTP server; `settings` added to the worker's environment."""
    require_postgres_and_redis_server()
    with running_smtp() as smtp, own_redis(tmp_path) as broker:
        env = worker_env(database_url, broker.url, smtp.port, **settings)
        with worker(env, "--pool=prefork", "--concurrency=1") as process:
            process.wait_for("ready.", timeout=60)
            yield Stack(smtp, producer(broker.url), process)


@pytest.fixture
def stack(app, database_url, tmp_path) -> Iterator[Stack]:
    with running_stack(database_url, tmp_path) as running:
        yield running


@pytest.fixture
def impatient_stack(app, database_url, tmp_path) -> Iterator[Stack]:
    """The same, waiting for the answer after DATA no longer than for any other (3 s)."""
    with running_stack(database_url, tmp_path, MAIL_DATA_TIMEOUT="3") as running:
        yield running


def first_attempt_ids(smtp: FaultySmtp) -> dict[str, float]:
    """Message-ID -> when the server first saw it."""
    first: dict[str, float] = {}
    for message_id, _, at in smtp.handler.attempts:
        first.setdefault(message_id, at)
    return first


def test_connections_refused_for_a_while_are_retried_until_the_server_is_back(app, stack):
    people = people_with_tasks_due(app, 5)
    stack.smtp.stop()  # port closed: every connection refused
    stack.run_reminders()
    stack.worker.wait_for("Retry in", timeout=20)
    time.sleep(4)
    stack.smtp.start()
    wait_until(settled(app, KIND, 5), 40, "delivery after the outage")
    assert_once_each(app, stack.smtp.messages, KIND, people)
    # It took retries ("Retry in" above), and none of them is charged to a person: a server
    # refusing connections never tried their messages.
    attempts = [row.attempts for row in ledger_rows(app, KIND).values()]
    assert attempts == [1] * 5, attempts


@pytest.mark.parametrize(
    "answers", [["451 4.3.0 Try again later"], ["421 4.3.2 Service shutting down"]]
)
def test_a_4xx_answer_is_retried_with_backoff_under_the_same_message_id(app, stack, answers):
    people = people_with_tasks_due(app, 3)
    stack.smtp.handler.data_replies = list(answers)  # the first DATA is answered so
    stack.run_reminders()
    wait_until(settled(app, KIND, 3), 40, "delivery after the 4xx")
    assert_once_each(app, stack.smtp.messages, KIND, people)
    refused = [a for a in stack.smtp.handler.attempts if a[1] == answers[0]]
    assert len(refused) == 1
    refused_id, _, refused_at = refused[0]
    delivered = {m["Message-ID"]: m for m in stack.smtp.messages}
    assert refused_id in delivered, "the retry must carry the first attempt's Message-ID"
    retried_at = [at for mid, what, at in stack.smtp.handler.attempts if mid == refused_id][-1]
    assert retried_at - refused_at >= 0.4, "retried at once, without backoff"


def test_a_550_for_one_recipient_fails_that_one_and_delivers_the_rest(app, stack):
    people = people_with_tasks_due(app, 4)
    stack.smtp.handler.refuse = {people[1]: "550 5.1.1 No such user"}
    stack.run_reminders()
    wait_until(settled(app, KIND, 4), 30, "the chunk settled")
    others = [p for p in people if p != people[1]]
    assert_once_each(app, stack.smtp.messages, KIND, others, failed=(people[1],))
    row = ledger_rows(app, KIND)[people[1]]
    assert row.attempts == 1 and "550" in row.last_error  # permanent: not retried


def test_a_server_that_never_greets_costs_a_timeout_not_the_worker(app, stack):
    people = people_with_tasks_due(app, 3)
    stack.smtp.go_silent()  # accepts TCP, says nothing
    started = time.monotonic()
    stack.run_reminders()
    stack.worker.wait_for("Retry in", timeout=20)
    # MAIL_TIMEOUT=3: the greeting wait ended, and the one pool process is free for other work.
    assert time.monotonic() - started < 15
    assert (
        stack.send.send_task("app.tasks.demo_tasks.ping", queue="default").get(timeout=10) == "pong"
    )
    stack.smtp.stop_silence()
    stack.smtp.start()
    wait_until(settled(app, KIND, 3), 40, "delivery once the server answers")
    assert_once_each(app, stack.smtp.messages, KIND, people)


def test_a_connection_dropped_after_data_is_retried_and_delivered_once(app, stack):
    people = people_with_tasks_due(app, 3)
    stack.smtp.handler.drop_after_data = 1  # the first message's DATA: hang up, no answer
    stack.run_reminders()
    wait_until(settled(app, KIND, 3), 40, "delivery after the dropped connection")
    assert_once_each(app, stack.smtp.messages, KIND, people)
    [dropped] = [a for a in stack.smtp.handler.attempts if a[1] == "dropped"]
    assert dropped[0] in {m["Message-ID"] for m in stack.smtp.messages}
    assert first_attempt_ids(stack.smtp)[dropped[0]] == dropped[2]


def test_a_server_slower_than_mail_timeout_after_data_gets_one_copy(app, stack):
    people = people_with_tasks_due(app, 3)
    # MAIL_TIMEOUT is 3 s here: the first message's end is answered after 7 s, and kept. With
    # MAIL_TIMEOUT as the wait after DATA this gave a second copy on the retry (the outside
    # drill: 1 in 5,000); MAIL_DATA_TIMEOUT waits for the answer instead.
    stack.smtp.handler.slow_data_delay = 7.0
    stack.smtp.handler.slow_data_keep = 1
    stack.run_reminders()
    wait_until(settled(app, KIND, 3), 60, "delivery past the slow answer")
    assert_once_each(app, stack.smtp.messages, KIND, people)
    assert [row.attempts for row in ledger_rows(app, KIND).values()] == [1, 1, 1]


def test_a_server_slower_than_mail_data_timeout_gets_a_second_copy_with_the_same_message_id(
    app, impatient_stack
):
    """The second duplicate window, forced: the answer to the first message's end comes after
    MAIL_DATA_TIMEOUT and the server keeps the message, so the retry sends it again. Exactly
    that person has two copies, both under the ledger row's Message-ID; nobody else has two."""
    people = people_with_tasks_due(app, 3)
    impatient_stack.smtp.handler.slow_data_delay = 8.0  # MAIL_DATA_TIMEOUT is 3 s
    impatient_stack.smtp.handler.slow_data_keep = 1
    impatient_stack.run_reminders()
    wait_until(settled(app, KIND, 3), 60, "delivery past the slow answer")
    messages = impatient_stack.smtp.wait_for(4, timeout=30)  # the late-kept first copy
    [slow_id] = [mid for mid, what, _ in impatient_stack.smtp.handler.attempts if what == "slow"]
    received = Counter(r for m in messages for r in m.envelope_recipients)
    rows = ledger_rows(app, KIND)
    [slow_person] = [a for a, row in rows.items() if row.message_id == slow_id]
    assert received == Counter({p: 2 if p == slow_person else 1 for p in people}), received
    copies = [m["Message-ID"] for m in messages if m.envelope_recipients == [slow_person]]
    assert copies == [rows[slow_person].message_id] * 2
    assert all(m["Message-ID"] == rows[m.envelope_recipients[0]].message_id for m in messages)
    assert {a: (r.status, r.attempts) for a, r in rows.items()} == {
        p: (DeliveryStatus.SENT, 2 if p == slow_person else 1) for p in people
    }
