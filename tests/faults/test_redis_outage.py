"""Redis (broker and result backend) goes away and comes back: the worker reconnects and
finishes the run, nothing twice; a web request made meanwhile says so plainly, and its change
still gets its notification once the broker is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.core.email.models import EmailKind
from app.extensions import db
from app.operations.models import PendingJob
from app.schedule import PERIODIC_JOBS
from app.tasklist.models import Task
from tests.conftest import DEFAULT_PASSWORD
from tests.faults.harness import (
    PrivateRedis,
    assert_once_each,
    ledger_rows,
    people_with_tasks_due,
    producer,
    require_postgres_and_redis_server,
    settled,
    wait_until,
    worker,
    worker_env,
)
from tests.faults.smtp_faults import FaultySmtp, running_smtp

pytestmark = [pytest.mark.faults, pytest.mark.timeout(150)]

REMINDERS = "app.tasks.task_management.send_task_reminders"
OUTAGE_SECONDS = 30


@pytest.fixture
def smtp() -> Iterator[FaultySmtp]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def redis_server(tmp_path) -> Iterator[PrivateRedis]:
    """Not started: each test decides when Redis is up."""
    require_postgres_and_redis_server()
    server = PrivateRedis(tmp_path, persistent=True)
    yield server
    server.stop()


def test_a_worker_started_before_redis_connects_when_it_comes_and_finishes(
    app, database_url, smtp, redis_server
):
    people = people_with_tasks_due(app, 20)
    env = worker_env(database_url, redis_server.url, smtp.port)
    with worker(env, "--pool=prefork", "--concurrency=1") as early:
        early.wait_for("Cannot connect to redis", timeout=30)
        redis_server.start()
        early.wait_for("ready.", timeout=60)
        producer(redis_server.url).send_task(REMINDERS, queue="reminders")
        wait_until(settled(app, EmailKind.TASK_REMINDER, 20), 30, "the run")
    assert_once_each(app, smtp.messages, EmailKind.TASK_REMINDER, people)


def web_app(make_app, broker_url: str):
    """The web app as deployed: broker and result backend on the Redis that goes away."""
    return make_app(
        CELERY={
            "broker_url": broker_url,
            "result_backend": broker_url,
            "broker_connection_timeout": 2,
            "broker_connection_max_retries": 1,
        }
    )


def assign_during_outage(web, make) -> tuple[int, int, str]:
    """Ann assigns her task to Bob while Redis is down; returns (task id, Bob's id, page)."""
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Print the posters", assignee_id=ann)
    client = web.test_client()
    client.post("/login", data={"email": "ann@example.com", "password": DEFAULT_PASSWORD})
    response = client.post(
        f"/task/{task}/edit",
        data={
            "title": "Print the posters",
            "description": "",
            "status": "pending",
            "priority": "medium",
            "due_at": "",
            "assignee_id": str(bob),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200, response.text[:2000]
    return task, bob, response.text


def test_redis_down_for_thirty_seconds_mid_run_loses_and_doubles_nothing(
    app, make, make_app, database_url, smtp, redis_server
):
    people = people_with_tasks_due(app, 300)
    smtp.handler.delay = 0.02  # 300 emails take a while: the outage falls mid-run
    redis_server.start()
    env = worker_env(database_url, redis_server.url, smtp.port)
    web = web_app(make_app, redis_server.url)
    with worker(env, "--pool=prefork", "--concurrency=2") as running:
        running.wait_for("ready.", timeout=60)
        producer(redis_server.url).send_task(REMINDERS, queue="reminders")
        smtp.wait_for(60, timeout=60)
        redis_server.stop()
        down_at = time.monotonic()

        task, bob, page = assign_during_outage(web, make)
        assert "notifications about this change will go out as soon as it is back" in page
        with app.app_context():
            assert db.session.get(Task, task).assignee_id == bob  # the change is saved
            assert db.session.scalar(select(func.count()).select_from(PendingJob)) == 1
        sent_during_outage = len(smtp.messages)

        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
        assert len(smtp.messages) < len(people), "the outage must fall in the middle of the run"
        redis_server.start()  # same port, its queues kept on disk
        # Beat's minutely flush-pending-jobs tick, sent here rather than waited for.
        assert any(job.task.endswith("flush_pending_jobs") for job in PERIODIC_JOBS)
        producer(redis_server.url).send_task(
            "app.tasks.operations.flush_pending_jobs", queue="default"
        )
        wait_until(settled(app, EmailKind.TASK_REMINDER, 300), 90, "the run after the outage")
        wait_until(
            lambda: (
                len(ledger_rows(app, EmailKind.TASK_ACTIVITY)) == 1
                and settled(app, EmailKind.TASK_ACTIVITY, 1)()
            ),
            30,
            "Bob's assignment email",
        )
        time.sleep(1)  # room for a wrongly repeated email to arrive
        output = running.output
    assert "Connection to broker lost" in output or "Cannot connect to redis" in output
    reminders = [m for m in smtp.messages if m.envelope_recipients[0] in people]
    assert len(reminders) > sent_during_outage  # the run went on after the outage
    assert_once_each(app, reminders, EmailKind.TASK_REMINDER, people)
    activity = [m for m in smtp.messages if m.envelope_recipients[0] == "bob@example.com"]
    assert_once_each(app, activity, EmailKind.TASK_ACTIVITY, ["bob@example.com"])
    assert "Print the posters" in activity[0]["Subject"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PendingJob)) == 0
