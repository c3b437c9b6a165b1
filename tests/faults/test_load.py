"""Load: 50 browser-like people use the app under gunicorn for 60 s while a real worker sends
the daily reminder to 10,000 people: no 5xx, every reminder exactly once, p95 page time reported.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from celery import Celery
from sqlalchemy import create_engine, make_url, text

from app.comments.models import Comment
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, password_hash
from tests.load_helpers import (
    BrowserClient,
    CountingHandler,
    Tally,
    percentile,
    seed_client_projects,
    seed_people,
    seed_reminder_run,
)
from tests.processes import free_port, python_env, running
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

pytestmark = [pytest.mark.faults]

# A Redis database of its own (8-15 belong to other tests).
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/7"
RECIPIENTS = 10_000
CLIENTS = 50
LOAD_SECONDS = 60
# After the load, how long the worker may take to finish the run before the test gives up.
DRAIN_SECONDS = 90
THINK_SECONDS = 0.5
REMINDER = "app.tasks.task_management.send_task_reminders"
WEB = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "--concurrency=2"]


@pytest.fixture
def broker() -> Iterator[Celery]:
    """An empty Redis DB 7 for the processes, emptied again afterwards; a producer on it."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    store = redis.Redis.from_url(BROKER)
    store.flushdb()
    producer = Celery("load-producer", broker=BROKER, backend=BROKER, set_as_current=False)
    yield producer
    producer.close()
    store.flushdb()
    store.close()


@pytest.fixture
def sink() -> Iterator[tuple[CountingHandler, int]]:
    from aiosmtpd.controller import Controller

    handler = CountingHandler(watched_prefix="load")
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def production_env(database_url: str, smtp_port: int, web_port: int) -> dict[str, str]:
    """The variables docs/DEPLOY.md asks for, pointed at loopback services."""
    url = make_url(database_url).render_as_string(hide_password=False)
    return python_env(
        TICKLER_ENV="production",
        SECRET_KEY="load-test-5c81e2f49a07d3b6e1f84c2a97d05b3e",
        METRICS_TOKEN="load-test-metrics-8d3f0a6c2e91b754",
        DATABASE_URL=url,
        CELERY_BROKER_URL=BROKER,
        CELERY_RESULT_BACKEND=BROKER,
        # Production's links are https and its sender a real domain; nothing here follows
        # an emailed link, so the names need not resolve.
        APP_BASE_URL="https://tickler.load.example",
        MAIL_DEFAULT_SENDER="Tickler <tickler@load.example>",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_TIMEOUT="10",
        MAIL_RETRY_BASE_SECONDS="1",
        MAIL_RETRY_MAX_SECONDS="5",
        # Fifty people log in from one address within seconds: the limit is per address.
        LOGIN_RATE_LIMIT="1000 per minute",
        RATELIMIT_STORAGE_URI=BROKER,
        # Due from midnight on each person's own clock, so everyone is due whatever the hour.
        REMINDER_HOUR="0",
        # INFO: the worker says "ready." at that level.
        LOG_LEVEL="INFO",
        GUNICORN_BIND=f"127.0.0.1:{web_port}",
        GUNICORN_LOG_LEVEL="warning",
    )


def wait_until_serving(base_url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("gunicorn never answered /healthz")


def seed(database_url: str) -> tuple[dict[int, list[int]], dict[int, str]]:
    """10,000 people due a reminder, and 50 people with shared projects to browse."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            seed_people(connection, "load", RECIPIENTS, password_hash("not used"))
            seed_reminder_run(connection, "load", due_in_hours=3)
            seed_people(connection, "client", CLIENTS, password_hash(DEFAULT_PASSWORD))
            visits = seed_client_projects(connection, "client", projects=5, tasks_per_project=200)
            rows = connection.execute(
                text("SELECT id, email FROM users WHERE email LIKE 'client%'")
            )
            emails = {user_id: email for user_id, email in rows}
    finally:
        engine.dispose()
    return visits, emails


def run_clients(
    base_url: str, visits: dict[int, list[int]], emails: dict[int, str], tally: Tally
) -> None:
    until = time.monotonic() + LOAD_SECONDS

    def person(user_id: int) -> None:
        client = BrowserClient(base_url, tally, seed=user_id)
        try:
            client.login(emails[user_id], DEFAULT_PASSWORD)
            project_id, *task_ids = visits[user_id]
            client.browse(project_id, task_ids, until, THINK_SECONDS)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for future in [pool.submit(person, user_id) for user_id in visits]:
            future.result()


def reminders_settled(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT status, count(*), count(DISTINCT recipient_id) FROM deliveries"
                    " WHERE kind = 'task_reminder' GROUP BY status"
                )
            ).all()
    finally:
        engine.dispose()
    return {status: (count, distinct) for status, count, distinct in rows}


def wait_for_reminders(handler: CountingHandler, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(handler.count_for("load")) < RECIPIENTS:
        time.sleep(0.5)
    time.sleep(2)  # a repeated send would arrive right behind the last first one


def report(tally: Tally, sent_after: float, path: Path) -> dict[str, Any]:
    pages = {
        page: {
            "requests": len(seconds),
            "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
            "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        }
        for page, seconds in sorted(tally.page_seconds.items())
    }
    summary = {
        "clients": CLIENTS,
        "seconds": LOAD_SECONDS,
        "requests": sum(tally.statuses.values()),
        "statuses": dict(tally.statuses),
        "p95_page_ms": round(percentile(tally.get_seconds, 0.95) * 1000, 1),
        "p50_page_ms": round(percentile(tally.get_seconds, 0.50) * 1000, 1),
        "pages": pages,
        "comments_posted": tally.comments_posted,
        "completions_queued": tally.completions_queued,
        "reminders": RECIPIENTS,
        "reminder_run_seconds": round(sent_after, 1),
    }
    path.write_text(json.dumps(summary, indent=2))
    print("\nload report:", json.dumps(summary, indent=2))
    return summary


def test_fifty_people_browse_while_ten_thousand_reminders_go_out_once(
    app, database_url, broker, sink, tmp_path
):
    require(
        make_url(database_url).get_backend_name() == "postgresql",
        "the load test needs PostgreSQL at 127.0.0.1:5432 (it seeds with set-based SQL)",
    )
    handler, smtp_port = sink
    web_port = free_port()
    base_url = f"http://127.0.0.1:{web_port}"
    visits, emails = seed(database_url)
    env = production_env(database_url, smtp_port, web_port)
    tally = Tally()
    with running(WEB, env) as web, running(WORKER, env) as worker:
        worker.wait_for("ready.", timeout=60)
        wait_until_serving(base_url)
        clients = threading.Thread(target=run_clients, args=(base_url, visits, emails, tally))
        clients.start()
        time.sleep(3)  # the people are logged in and browsing when the run begins
        broker.send_task(REMINDER, kwargs={"scheduled": True}, queue="reminders")
        run_started = time.monotonic()
        clients.join(LOAD_SECONDS + 60)
        wait_for_reminders(handler, DRAIN_SECONDS)
        sent_after = (handler.last_watched_at or time.monotonic()) - run_started
        ledger = reminders_settled(database_url)
        worker_output, web_output = worker.output, web.output
    (tmp_path / "worker.log").write_text(worker_output)
    (tmp_path / "web.log").write_text(web_output)
    summary = report(tally, sent_after, tmp_path / "load-report.json")

    assert tally.logins == CLIENTS, tally.failures[:10]
    assert not [code for code in tally.statuses if code >= 500], (
        tally.failures[:20],
        web_output[-3000:],
    )
    assert tally.failures == [], tally.failures[:20]
    assert tally.comments_posted > 0 and tally.completions_queued > 0, summary
    received = handler.count_for("load")
    assert len(received) == RECIPIENTS, (len(received), ledger, worker_output[-3000:])
    assert set(received.values()) == {1}, [a for a, n in received.items() if n > 1][:10]
    assert ledger == {"sent": (RECIPIENTS, RECIPIENTS)}, ledger
    with app.app_context():
        stored = db.session.scalar(db.select(db.func.count()).select_from(Comment))
    assert stored == tally.comments_posted
