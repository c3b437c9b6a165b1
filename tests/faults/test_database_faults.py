"""Database errors: one failing chunk rolls back alone and runs again; a rolled-back request
queues nothing. Real PostgreSQL (a trigger raises the error), the session's real worker on
Redis, a real SMTP server."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from app.core.database import utcnow
from app.core.email.models import Delivery, DeliveryStatus
from app.core.queueing import queue
from app.extensions import db
from app.notifications.jobs import send_task_assignment_notification
from app.operations.models import PendingJob, TaskRun
from app.tasklist.models import Task
from app.tasks.task_management import send_task_reminders
from tests.jobs_helpers import wait_settled

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


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_a_database_cut_during_a_planning_job_still_ends_its_run_record(app, make, celery_worker):
    """The outside drill's stuck "running" run: PostgreSQL cut while a planning job writes its
    ledger rows, and still away when the job tries to record its end. Staged without timing: a
    trigger holds the planning job on a lock the test owns; the test then refuses new
    connections to the database, terminates every backend (the job's last, so its end needs a
    new connection), and lets connections back only once the first try to write the end failed."""
    with app.app_context():
        if db.engine.url.get_backend_name() != "postgresql":
            pytest.skip("needs PostgreSQL")
        url = db.engine.url
    owner = make.user(email="owner@example.com")
    project = make.project(owner)
    for n in range(5):
        person = make.user(email=f"p{n}@example.com")
        make.task(project, owner, assignee_id=person, due_at=utcnow() + timedelta(hours=3))
    name, admin_url = url.database, url.set(database="postgres")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    holder = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect()
    lines = Lines()
    logging.getLogger("app.operations.job_runs").addHandler(lines)
    with app.app_context():
        for statement in (
            "CREATE SEQUENCE IF NOT EXISTS cut_fired",
            """CREATE OR REPLACE FUNCTION hold_planning() RETURNS trigger AS $$
               BEGIN
                 IF nextval('cut_fired') = 1 THEN PERFORM pg_advisory_lock(4242); END IF;
                 RETURN NULL;
               END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER hold_planning BEFORE INSERT ON deliveries
               FOR EACH STATEMENT EXECUTE FUNCTION hold_planning()""",
        ):
            db.session.execute(text(statement))
        db.session.commit()
    try:
        holder.execute(text("SELECT pg_advisory_lock(4242)"))
        job = send_task_reminders.delay()
        job_pid = poll(lambda: advisory_waiter(holder), "the planning job never reached its rows")
        with admin.connect() as cut:
            cut.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            cut.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE datname = :db AND pid <> :job AND pid <> pg_backend_pid()"
                    " AND pid <> :holder"
                ),
                {"db": name, "job": job_pid, "holder": holder_pid(holder)},
            )
            cut.execute(text("SELECT pg_terminate_backend(:job, 5000)"), {"job": job_pid})
            # The job tried to write its end and failed (the new code logs it and tries again;
            # a job that gives up at once has ended, its record still "running").
            poll(
                lambda: (
                    job.ready()
                    or any("could not record the end of run" in m for m in lines.messages)
                ),
                "the job never tried to record its end",
            )
            cut.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        holder.close()
        outcome = poll(lambda: ended_outcome(app), "the run stayed 'running'", timeout=45)
        assert outcome == "failed"
    finally:
        logging.getLogger("app.operations.job_runs").removeHandler(lines)
        with admin.connect() as restore:
            restore.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        with app.app_context():
            for statement in (
                "DROP TRIGGER IF EXISTS hold_planning ON deliveries",
                "DROP FUNCTION IF EXISTS hold_planning()",
                "DROP SEQUENCE IF EXISTS cut_fired",
            ):
                db.session.execute(text(statement))
            db.session.commit()


def poll(probe, failure: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (found := probe()):
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)
    return found


def advisory_waiter(connection) -> int | None:
    return connection.execute(
        text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        )
    ).scalar()


def holder_pid(connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def ended_outcome(app) -> str | None:
    with app.app_context():
        try:
            outcome = db.session.scalar(
                select(TaskRun.state).where(TaskRun.name.like("%send_task_reminders"))
            )
        finally:
            db.session.remove()
    return outcome if outcome not in (None, "pending", "started") else None
