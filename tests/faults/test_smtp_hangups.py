"""A mail server that answers 421 and hangs up on a share of messages, as busy servers do: the
sender reconnects and goes on with the rest of the chunk, charges an attempt only to the one
whose message was refused, and in the end every person has their reminder, once.

The outside drill ran 5,000 people; the default here is 300 (three chunks, two processes) so
the test stays short on a small machine. FAULT_DRILL_PEOPLE=5000 runs the full drill."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from app.core.email.models import EmailKind
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
from tests.faults.smtp_faults import running_smtp

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

REMINDERS = "app.tasks.task_management.send_task_reminders"
KIND = EmailKind.TASK_REMINDER
PEOPLE = int(os.environ.get("FAULT_DRILL_PEOPLE", "300"))


@pytest.mark.parametrize("rate", [0.05, 0.20])
def test_a_server_hanging_up_with_421_on_some_messages_delivers_everyone_once(
    app, database_url, tmp_path, rate
):
    require_postgres_and_redis_server()
    people = people_with_tasks_due(app, PEOPLE)
    with running_smtp() as smtp, own_redis(tmp_path) as broker:
        smtp.handler.hang_up_rate = rate
        env = worker_env(database_url, broker.url, smtp.port, DELIVERY_SWEEP_SECONDS="0")
        with worker(env, "--pool=prefork", "--concurrency=2") as process:
            process.wait_for("ready.", timeout=60)
            producer(broker.url).send_task(REMINDERS, queue="reminders")
            # Generous: the retries back off (1-2 s each here) and the machine may be busy.
            wait_until(settled(app, KIND, PEOPLE), 60 + PEOPLE / 5, "every reminder settled")
        messages = list(smtp.messages)
        attempts = list(smtp.handler.attempts)

    refused = Counter(message_id for message_id, what, _ in attempts if what == "421")
    assert refused, "the server must have hung up on some messages"
    assert_once_each(app, messages, KIND, people)  # none lost, none failed, none doubled
    rows = ledger_rows(app, KIND)
    # An attempt is a refusal of that person's own message (plus the one that got through):
    # the messages after a hang-up are sent over a new connection, not charged and put off.
    charged_wrongly = {
        address: (row.attempts, refused[row.message_id])
        for address, row in rows.items()
        if row.attempts != refused[row.message_id] + 1
    }
    assert not charged_wrongly, list(charged_wrongly.items())[:10]
    # Every message the server saw was tried: none was skipped for a neighbour's refusal.
    tried = Counter(message_id for message_id, _, _ in attempts)
    assert all(tried[row.message_id] == row.attempts for row in rows.values())
