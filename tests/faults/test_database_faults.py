"""Database errors: one failing chunk rolls back alone and runs again; a rolled-back request
queues nothing. Real PostgreSQL (a trigger raises the error), the session's real worker on
Redis, a real SMTP server."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Delivery, DeliveryStatus, PendingJob, Task, utcnow
from app.tasks.notifications import send_task_assignment_notification
from app.tasks.task_management import send_task_reminders
from app.web.queueing import queue
from tests.tasks.jobs_helpers import wait_settled

pytestmark = [pytest.mark.faults, pytest.mark.worker]

PEOPLE = 30
CHUNK = 10


@pytest.fixture
def failing_settle(app):
    """A trigger that raises on the first settle of one recipient's row as sent: the error comes
    after that chunk's emails were accepted, the worst moment for a chunk to fail. Whether it
    fired is kept in a sequence, which the failed transaction does not roll back."""
    with app.app_context():
        if db.engine.url.get_backend_name() != "postgresql":
            pytest.skip("needs PostgreSQL for the trigger")
    statements = [
        "CREATE SEQUENCE IF NOT EXISTS fault_fired",
        "CREATE TABLE IF NOT EXISTS fault_target (recipient_id integer PRIMARY KEY)",
        """
        CREATE OR REPLACE FUNCTION fail_settle_once() RETURNS trigger AS $$
        BEGIN
          IF NEW.status = 'sent' AND OLD.status <> 'sent'
             AND EXISTS (SELECT 1 FROM fault_target WHERE recipient_id = NEW.recipient_id)
             AND nextval('fault_fired') = 1 THEN
            RAISE EXCEPTION 'injected fault while settling recipient %', NEW.recipient_id;
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """,
        "DROP TRIGGER IF EXISTS fail_settle_once ON deliveries",
        """CREATE TRIGGER fail_settle_once BEFORE UPDATE ON deliveries
           FOR EACH ROW EXECUTE FUNCTION fail_settle_once()""",
    ]
    with app.app_context():
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()
    yield
    with app.app_context():
        for statement in (
            "DROP TRIGGER IF EXISTS fail_settle_once ON deliveries",
            "DROP FUNCTION IF EXISTS fail_settle_once()",
            "DROP TABLE IF EXISTS fault_target",
            "DROP SEQUENCE IF EXISTS fault_fired",
        ):
            db.session.execute(text(statement))
        db.session.commit()


def test_a_database_error_mid_chunk_rolls_back_that_chunk_only_and_it_completes(
    app, make, celery_worker, smtp, failing_settle, monkeypatch
):
    monkeypatch.setitem(app.config, "DIGEST_CHUNK_SIZE", CHUNK)
    owner = make.user(email="owner@example.com")
    project = make.project(owner)
    people = [make.user(email=f"p{n:02d}@example.com") for n in range(PEOPLE)]
    for person in people:
        make.task(project, owner, assignee_id=person, due_at=utcnow() + timedelta(hours=3))
    victim = people[PEOPLE // 2]
    with app.app_context():
        db.session.execute(text("INSERT INTO fault_target VALUES (:id)"), {"id": victim})
        db.session.commit()

    result = send_task_reminders.delay().get(timeout=30)
    assert result["recipients"] == PEOPLE
    wait_settled(app, PEOPLE, timeout=60)

    smtp.wait_for(PEOPLE, timeout=30)
    time.sleep(1)  # a doubled email would arrive now
    received = Counter(m.envelope_recipients[0] for m in smtp.messages)
    assert len(received) == PEOPLE and set(received.values()) == {1}, received
    with app.app_context():
        rows = db.session.execute(select(Delivery.recipient_id, Delivery.status, Delivery.attempts))
        by_person = {recipient: (status, attempts) for recipient, status, attempts in rows}
        fired = db.session.scalar(text("SELECT is_called FROM fault_fired"))
    assert fired, "the injected error never happened"
    assert {status for status, _ in by_person.values()} == {DeliveryStatus.SENT}
    # The failed chunk's people were claimed twice; everyone else's rows once.
    twice = {person for person, (_, attempts) in by_person.items() if attempts == 2}
    assert victim in twice and len(twice) <= CHUNK, twice
    assert sum(1 for _, attempts in by_person.values() if attempts == 1) >= PEOPLE - CHUNK


def test_a_rolled_back_request_queues_nothing(app, make, celery_worker, smtp):
    owner = make.user(email="owner@example.com")
    bob = make.user(email="bob@example.com")
    project = make.project(owner, members=(bob,))
    task_id = make.task(project, owner, title="Never assigned")
    with app.test_request_context():
        task = db.session.get(Task, task_id)
        task.assignee_id = bob
        db.session.flush()  # written, not committed: the job must wait for the commit
        waiting = queue(send_task_assignment_notification, task_id, owner)
        assert waiting is not None and waiting.id is None
        db.session.rollback()  # e.g. a later step of the request failed
    time.sleep(4)  # longer than the batching window: an email would be here by now
    assert smtp.messages == []
    with app.app_context():
        assert db.session.get(Task, task_id).assignee_id is None
        assert db.session.scalar(select(func.count()).select_from(PendingJob)) == 0
