"""The routing table: every task has a queue, urgency maps onto each broker's priorities."""

from __future__ import annotations

import subprocess

from app.extensions import QUEUES, broker_family, task_queues, task_routes
from app.task_catalog import CATALOG, TASK_ROUTING
from celery_utils import task_names


def test_every_registered_task_is_in_the_table_and_every_entry_is_a_task(app):
    registered = set(task_names(app.extensions["celery"]))
    assert registered == set(TASK_ROUTING), "add new tasks to app/task_catalog.py"


def test_every_registered_task_is_in_the_catalog_and_every_entry_is_a_task(app):
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    registered = {name for name in celery.tasks if not name.startswith("celery.")}
    catalogued = {entry.name for entry in CATALOG}
    assert registered - catalogued == set(), "add these tasks to app/task_catalog.py"
    assert catalogued - registered == set(), "these catalog entries name no task"
    assert len(catalogued) == len(CATALOG), "a name is in the catalog twice"


def test_the_queues_are_the_ones_operators_split_work_by():
    assert QUEUES == (
        "default",
        "reminders",
        "notifications",
        "recurring",
        "webhooks",
        "analytics",
        "exports",
    )


def test_urgency_is_reversed_between_rabbitmq_and_redis():
    amqp = task_routes("amqp://guest:guest@127.0.0.1:5672//")
    redis = task_routes("redis://127.0.0.1:6379/0")
    reset = "app.tasks.accounts.send_account_email"
    analytics = "app.tasks.analytics.precompute_analytics"
    assert amqp[reset] == {"queue": "notifications", "priority": 9}
    assert amqp[analytics]["priority"] < amqp[reset]["priority"]
    assert redis[reset] == {"queue": "notifications", "priority": 0}
    assert redis[analytics]["priority"] > redis[reset]["priority"]
    assert "priority" not in task_routes("sqs://")[reset]


def test_rabbitmq_queues_are_declared_with_priorities():
    (first, *_) = task_queues("amqp://localhost//")
    assert first.queue_arguments == {"x-max-priority": 9}
    assert task_queues("redis://localhost")[0].queue_arguments in (None, {})
    assert broker_family("rediss://x") == broker_family("sentinel://x") == "redis"


def test_the_running_app_routes_by_the_table(app):
    celery = app.extensions["celery"]
    route = celery.amqp.router.route({}, "app.tasks.webhooks.deliver_webhook")
    assert route["queue"].name == "webhooks"
    assert route["priority"] == 5


def test_make_worker_takes_a_list_of_queues():
    dry_run = subprocess.run(
        ["make", "-n", "worker", "QUEUES=notifications,reminders"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m celery -A celery_worker worker --loglevel=info -Q notifications,reminders" in dry_run
    everything = subprocess.run(["make", "-n", "worker"], capture_output=True, text=True).stdout
    assert "-Q" not in everything
