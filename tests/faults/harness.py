"""What the fault tests share: a Redis of their own, worker processes, people to email, and the
final count of emails received against the delivery ledger."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery import Celery
from flask import Flask
from sqlalchemy import insert, select

from app.accounts.models import User
from app.core.database import utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.extensions import db
from app.projects.models import Project
from app.tasklist.models import Task
from scripts.private_redis import PrivateRedis, private_redis, redis_server_installed
from tests.conftest import password_hash
from tests.processes import Running, python_env, running
from tests.services_available import postgres_available, require

WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info"]
BEAT = ["-m", "celery", "-A", "celery_worker", "beat", "--loglevel=info"]
EMAIL_QUEUES = "default,reminders,notifications"


def require_postgres_and_redis_server() -> None:
    """What every fault test needs: PostgreSQL, and a redis-server binary to start its own."""
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    require(
        redis_server_installed(), "redis-server is not installed (apt-get install redis-server)"
    )


def own_redis(workdir: Path) -> AbstractContextManager[PrivateRedis]:
    """A redis-server of the test's own, no persistence, stopped afterwards."""
    return private_redis(workdir)


def worker_env(database_url: str, broker_url: str, smtp_port: int, **extra: str) -> dict:
    """A worker as production runs it, with short waits so each fault plays out in seconds."""
    settings = {
        "TICKLER_ENV": "development",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_TIMEOUT": "3",
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "2",
        "NOTIFICATION_BATCH_SECONDS": "1",
        "WEBHOOK_RETRY_MAX_SECONDS": "5",
        # A killed worker's jobs come back after 10 s; config refuses this unless it is above
        # every countdown, hence the small retry caps above.
        "BROKER_VISIBILITY_TIMEOUT": "10",
        "BROKER_RESTORE_SCAN_SECONDS": "2",
        "REMINDER_HOUR": "0",
    }
    settings.update(extra)
    return python_env(**settings)


@contextmanager
def worker(env: dict, *options: str, queues: str = EMAIL_QUEUES) -> Iterator[Running]:
    with running([*WORKER, "-Q", queues, *options], env) as process:
        yield process


def producer(broker_url: str) -> Celery:
    """Sends jobs by name to the workers' broker, with the app's Redis queue layout."""
    celery = Celery("fault-producer", broker=broker_url, backend=broker_url, set_as_current=False)
    celery.conf.update(
        broker_transport_options={"priority_steps": list(range(10)), "sep": ":"},
        broker_connection_timeout=2,
        result_expires=600,
    )
    return celery


def pool_children(pid: int) -> list[int]:
    """The pool processes of a prefork worker: its direct children."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def kill_group(process: Running) -> None:
    """SIGKILL the worker and its pool at once, as the OOM killer or a lost machine would."""
    os.killpg(process.process.pid, signal.SIGKILL)
    process.process.wait(10)


def people_with_tasks_due(
    app: Flask, count: int, hours: float = 3.0, prefix: str = "r"
) -> list[str]:
    """`count` people, each with one open task due soon; in a few statements, not `count`."""
    now, hashed = utcnow(), password_hash("correct horse battery")
    addresses = [f"{prefix}{n:04d}@example.com" for n in range(count)]
    with app.app_context():
        ids = db.session.scalars(
            insert(User).returning(User.id),
            [
                {"email": a, "name": f"R {n}", "password_hash": hashed, "timezone": "UTC"}
                for n, a in enumerate(addresses)
            ],
        ).all()
        project = Project(name="Big", description="", owner_id=ids[0])
        db.session.add(project)
        db.session.flush()
        db.session.execute(
            insert(Task),
            [
                {
                    "title": f"Task for {uid}",
                    "project_id": project.id,
                    "creator_id": ids[0],
                    "assignee_id": uid,
                    "due_at": now + timedelta(hours=hours),
                    "created_at": now,
                    "updated_at": now,
                }
                for uid in ids
            ],
        )
        db.session.commit()
    return addresses


def ledger_rows(app: Flask, kind: EmailKind) -> dict[str, Delivery]:
    with app.app_context():
        rows = db.session.execute(
            select(User.email, Delivery).join(User, User.id == Delivery.recipient_id)
        ).all()
        for _, delivery in rows:
            db.session.expunge(delivery)
    return {email: delivery for email, delivery in rows if delivery.kind == kind}


def wait_until(check: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


def settled(app: Flask, kind: EmailKind, count: int) -> Callable[[], bool]:
    final = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)

    def check() -> bool:
        rows = ledger_rows(app, kind)
        return len(rows) >= count and all(r.status in final for r in rows.values())

    return check


def in_flight_at(
    messages: list, moment: float, finishing: float = 0.0, quit_sessions: set[int] | None = None
) -> set[str]:
    """Addresses of the last email each SMTP connection delivered before `moment`: the ones a
    worker killed at `moment` may have seen accepted without living to mark (the window).

    `finishing`: how long the server may take over a DATA it had when the client died (its
    answer delay); an email it completes then was on the wire at the kill, the same window.
    `quit_sessions`: the connections their client closed with QUIT. The last email of any other
    connection was on a connection its client abandoned, so in flight at a kill, however late
    a loaded server got round to it (its time alone would leave it out)."""
    last: dict[int, Any] = {}
    last_of_each: dict[int, Any] = {}
    for message in messages:
        last_of_each[message.session_key] = message
        if message.received_at <= moment + finishing:
            last[message.session_key] = message
    window = {m.envelope_recipients[0] for m in last.values()}
    if quit_sessions is not None:
        window |= {
            m.envelope_recipients[0] for key, m in last_of_each.items() if key not in quit_sessions
        }
    return window


def assert_once_each(
    app: Flask,
    messages: list,
    kind: EmailKind,
    sent_to: list[str],
    failed: tuple = (),
    killed_at: float | None = None,
    processes_killed: int = 0,
    finishing: float = 0.0,
    quit_sessions: set[int] | None = None,
) -> None:
    """Every address in `sent_to` received exactly one email, recorded as sent in the ledger
    under the Message-ID it arrived with; those in `failed` got none and are marked failed.

    With `killed_at`: a process killed between the server's 250 and its mark may repeat the
    one email it had in flight, so at most `processes_killed` people may have two copies, and
    only the ones whose first copy was the last on its connection before the kill."""
    received = Counter(r for m in messages for r in m.envelope_recipients)
    doubled = {address for address, n in received.items() if n > 1}
    if killed_at is not None and doubled:
        window = in_flight_at(messages, killed_at, finishing, quit_sessions)
        assert doubled <= window, f"repeated outside the kill window: {sorted(doubled - window)}"
        assert len(doubled) <= processes_killed, f"too many repeated: {sorted(doubled)}"
        assert max(received.values()) == 2
    else:
        assert not doubled, f"sent twice: {sorted(doubled)[:10]} ({len(doubled)} people)"
    assert set(received) == set(sent_to), (
        f"missing {sorted(set(sent_to) - set(received))[:10]}, "
        f"unexpected {sorted(set(received) - set(sent_to))[:10]}"
    )
    rows = ledger_rows(app, kind)
    assert len(rows) == len(sent_to) + len(failed), sorted(rows)
    assert {a for a, r in rows.items() if r.status == DeliveryStatus.SENT} == set(sent_to)
    assert {a for a, r in rows.items() if r.status == DeliveryStatus.FAILED} == set(failed)
    # Both copies of a repeated email carry the ledger's Message-ID: recognisably one email.
    wrong_ids = [
        m["Message-ID"]
        for m in messages
        if m["Message-ID"] != rows[m.envelope_recipients[0]].message_id
    ]
    assert not wrong_ids, f"Message-IDs differ from the ledger's: {wrong_ids[:5]}"
