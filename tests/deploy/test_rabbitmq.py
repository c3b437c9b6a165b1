"""RabbitMQ by URL alone: the email flows through a real worker process on amqp, results in
Redis. The worker is a process of its own, as in production: two consumers in one test process
would share kombu's event loop and break each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from tests.conftest import (
    DEFAULT_PASSWORD,
    app_settings,
    current_celery_apps,
    restore_celery_apps,
)
from tests.jobs_helpers import wait_settled
from tests.processes import Running, running, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

pytestmark = pytest.mark.worker

# A Redis database of its own for results, apart from the in-process test worker's.
RESULTS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/14"
QUEUES = "default,reminders,notifications"


@pytest.fixture(scope="module")
def amqp_app(
    base_app: Flask, database_url: str, smtp_server: Any, rabbitmq_url: str
) -> Iterator[Flask]:
    """The web side: an app of its own that publishes to RabbitMQ (a virtual host of the run's
    own, so purging it touches no one else's queues); the schema is base_app's."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    celery_settings = {
        "broker_url": rabbitmq_url,
        "result_backend": RESULTS_URL,
        "broker_connection_timeout": 2,
        "broker_connection_max_retries": 2,
    }
    previous = current_celery_apps()
    app = create_app(app_settings(database_url, celery_settings, NOTIFICATION_BATCH_SECONDS=1))
    # create_app made this Celery app the current one; a module-scoped app is built before
    # keep_current_celery_app looks, so restore the session's here or every later test would
    # publish to RabbitMQ.
    restore_celery_apps(previous)
    app.extensions["celery"].control.purge()  # nothing left over from an earlier run
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def amqp_worker(
    amqp_app: Flask, database_url: str, smtp_server: Any, rabbitmq_url: str
) -> Iterator[Running]:
    """`celery -A celery_worker worker`, told the broker by CELERY_BROKER_URL alone."""
    env = tickler_env(
        database_url,
        rabbitmq_url,
        RESULTS_URL,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_server.port),
        MAIL_TIMEOUT="5",
        MAIL_RETRY_BASE_SECONDS="1",
        MAIL_RETRY_MAX_SECONDS="2",
        NOTIFICATION_BATCH_SECONDS="1",
    )
    args = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "-Q", QUEUES]
    with running([*args, "--pool=solo"], env) as worker:
        worker.wait_for("ready.", timeout=60)
        yield worker


@pytest.fixture
def on_amqp(app: Flask, amqp_app: Flask, amqp_worker: Running, smtp: Any) -> Flask:
    """Tasks queued during the test go through RabbitMQ (`app` empties the tables after)."""
    celery_app = amqp_app.extensions["celery"]
    celery_app.set_default()
    celery_app.set_current()
    return amqp_app


def test_the_broker_is_really_rabbitmq(on_amqp):
    celery_app = on_amqp.extensions["celery"]
    with celery_app.connection_for_write() as connection:
        assert connection.transport.driver_type == "amqp"
    assert type(celery_app.backend).__name__ == "RedisBackend"
    result = celery_app.send_task("app.tasks.demo_tasks.add", args=(2, 3), queue="default")
    assert result.get(timeout=20) == 5


def test_a_digest_run_delivers_through_rabbitmq(on_amqp, make, smtp):
    from datetime import timedelta

    from app.core.database import utcnow

    ann = make.user(email="ann@example.com", name="Ann")
    project = make.project(ann, name="Launch")
    make.task(project, ann, title="Due soon", assignee_id=ann, due_at=utcnow() + timedelta(hours=3))
    job = on_amqp.extensions["celery"].tasks["app.tasks.task_management.send_task_reminders"]
    result = job.delay().get(timeout=30)
    assert result["recipients"] == 1
    wait_settled(on_amqp, 1)
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert "Due soon" in message.get_body(("plain",)).get_content()


def test_an_event_email_goes_through_rabbitmq(on_amqp, make, smtp):
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(ann, name="Launch", members=(bob,))
    task = make.task(project, ann, title="Write the post")
    client = on_amqp.test_client()
    client.post("/login", data={"email": "ann@example.com", "password": DEFAULT_PASSWORD})
    response = client.post(
        f"/task/{task}/edit",
        data={
            "title": "Write the post",
            "description": "",
            "priority": "medium",
            "due_at": "",
            "status": "pending",
            "assignee_id": str(bob),
        },
    )
    assert response.status_code == 302, response.data
    [message] = smtp.wait_for(1, timeout=30)
    assert message.envelope_recipients == ["bob@example.com"]
    assert message["Subject"] == "Ann Lee assigned you “Write the post”"
