"""Real worker and beat processes as production runs them: connections stay bounded over
hundreds of tasks, a restarted worker loses nothing, two beats send nothing twice."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from celery import Celery
from celery.result import ResultSet
from sqlalchemy import create_engine, make_url, text

from app.core.database import utcnow
from tests.processes import running, shared_clock_at, tickler_env
from tests.services_available import (
    POSTGRES_ADMIN_URL,
    REDIS_HOST,
    REDIS_PORT,
    postgres_available,
    redis_available,
    require,
)

pytestmark = pytest.mark.worker

# A Redis database of its own: these processes never meet the in-process test worker.
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/11"
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "-Q", "default"]
POOL_SIZE = 5  # SQLAlchemy's default pool_size


def worker_env(database_url: str, **extra: str) -> dict[str, str]:
    return tickler_env(database_url, BROKER, **extra)


@pytest.fixture
def producer(app) -> Iterator[Celery]:
    """Sends tasks by name to the processes' broker; starts from an empty queue."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    celery = Celery("producer", broker=BROKER, backend=BROKER, set_as_current=False)
    celery.conf.update(task_default_queue="default", result_expires=600)
    celery.control.purge()
    yield celery
    celery.control.purge()
    celery.close()


def connections_to(database: str) -> int:
    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                {"name": database},
            ).scalar_one()
    finally:
        engine.dispose()


# A connection leaked per task would show after a few dozen; `make bench` runs thousands.
TASKS = 400


def test_hundreds_of_tasks_keep_database_connections_bounded(database_url, producer):
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL for pg_stat_activity")
    processes = 2
    before = connections_to(url.database)
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], connections_to(url.database))
            time.sleep(0.2)

    env = worker_env(database_url)
    with running([*WORKER, "--pool=prefork", f"--concurrency={processes}"], env) as worker:
        worker.wait_for("ready.", timeout=60)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            results = [
                producer.send_task("app.tasks.demo_tasks.db_ping", queue="default")
                for _ in range(TASKS)
            ]
            assert ResultSet(results).join(timeout=240, interval=0.05) == [1] * TASKS
        finally:
            done.set()
            sampler.join(5)
    # Each pool child holds at most its pool; the parent none; the test app's own pool is in
    # `before`.
    assert peak[0] - before <= POOL_SIZE * processes + 2, (before, peak[0])


def test_a_worker_stopped_with_sigterm_mid_queue_loses_no_task(database_url, producer):
    env = worker_env(database_url)
    with running([*WORKER, "--pool=prefork", "--concurrency=2"], env) as first:
        first.wait_for("ready.", timeout=60)
        results = [
            producer.send_task("app.tasks.demo_tasks.slow_add", args=(n, 1), kwargs={"seconds": 1})
            for n in range(12)
        ]
        first.wait_for("slow_add", timeout=30)  # some are running now
        # SIGTERM to the main process only, as systemd's KillMode=mixed does: a warm shutdown
        # finishes running tasks and hands back the unstarted ones.
        first.process.send_signal(signal.SIGTERM)
        first.process.wait(60)
        assert "warm shutdown" in first.output.lower()
    finished_by_first = sum(1 for r in results if r.ready())
    assert finished_by_first < len(results), "the test must stop the worker mid-queue"
    with running([*WORKER, "--pool=prefork", "--concurrency=2"], env) as second:
        second.wait_for("ready.", timeout=60)
        values = ResultSet(results).join(timeout=90, interval=0.1)
    assert sorted(values) == [n + 1 for n in range(12)]


@pytest.mark.slow
def test_two_beats_firing_together_send_each_person_one_reminder(
    database_url, producer, make, smtp, tmp_path
):
    """A second beat for availability sends every job twice; the ledger sends each email once."""
    # Every process on one clock that starts 15 s before a minute of a Tuesday (no weekly
    # summary falls due with the reminders): beat's first run of the job comes at once.
    with shared_clock_at(datetime(2026, 12, 8, 10, 29, 45, tzinfo=UTC)) as clock:
        soon = utcnow() + timedelta(hours=3)
        for name in ("ann", "bob"):
            person = make.user(email=f"{name}@example.com", name=name.title())
            project = make.project(person, name=f"{name}'s")
            make.task(project, person, title=f"{name}'s task", assignee_id=person, due_at=soon)
        env = worker_env(
            database_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(smtp.port),
            MAIL_TIMEOUT="5",
            REMINDER_HOUR="0",  # everyone is due whatever their local time
            SCHEDULE_SEND_TASK_REMINDERS="* * * * *",  # every minute, the fastest crontab
            **clock,
        )
        send_reminders_from_two_beats(env, smtp, tmp_path)
    # Whatever else went out, nothing went twice, and each had one reminder.
    sent = Counter((r, m["Subject"]) for m in smtp.messages for r in m.envelope_recipients)
    assert set(sent.values()) == {1}, sent
    recipients = sorted(r for m in reminders_in(smtp.messages) for r in m.envelope_recipients)
    assert recipients == ["ann@example.com", "bob@example.com"]


def send_reminders_from_two_beats(env: dict[str, str], smtp, tmp_path) -> None:  # noqa: ANN001
    worker_args = [*WORKER[:-1], "default,reminders,notifications", "--pool=solo"]
    beat = ["-m", "celery", "-A", "celery_worker", "beat", "--loglevel=info"]
    with (
        running(worker_args, env) as worker,
        running([*beat, f"--schedule={tmp_path / 'one'}"], env) as beat_one,
        running([*beat, f"--schedule={tmp_path / 'two'}"], env) as beat_two,
    ):
        worker.wait_for("ready.", timeout=60)
        sent = "Sending due task send-task-reminders"
        beat_one.wait_for(sent, timeout=75)
        beat_two.wait_for(sent, timeout=15)
        deadline = time.monotonic() + 30
        while worker.output.count("send_task_reminders[") < 4:  # received + succeeded, twice
            assert time.monotonic() < deadline, worker.output[-3000:]
            time.sleep(0.2)
        deadline = time.monotonic() + 20
        while len(reminders_in(smtp.messages)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # room for a wrongly duplicated email to arrive


def reminders_in(messages: list) -> list:
    return [m for m in messages if "due in the next 24 hours" in m["Subject"]]
