"""The broker's durability check, against real redis-servers configured each way."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from celery import Celery

from app.extensions import check_broker_durability_at_start
from app.operations.broker_durability import broker_durability_warnings, log_broker_durability
from tests.redis_servers import redis_server

FORGETFUL = ("--appendonly", "no", "--maxmemory-policy", "allkeys-lru")
DURABLE = ("--appendonly", "yes", "--maxmemory-policy", "noeviction")


def celery_on(url: str) -> Celery:
    return Celery("durability-check", broker=url, set_as_current=False)


def test_a_redis_that_forgets_gets_a_warning_for_each_setting(tmp_path):
    with redis_server(tmp_path, *FORGETFUL) as url:
        warnings = broker_durability_warnings(celery_on(url))
    assert len(warnings) == 2
    assert "appendonly no" in warnings[0] and "set appendonly yes" in warnings[0]
    assert "maxmemory-policy allkeys-lru" in warnings[1] and "noeviction" in warnings[1]


def test_a_redis_that_keeps_its_queues_gets_no_warning(tmp_path):
    with redis_server(tmp_path, *DURABLE) as url:
        assert broker_durability_warnings(celery_on(url)) == []


def test_only_the_wrong_setting_is_named(tmp_path):
    with redis_server(tmp_path, "--appendonly", "yes", "--maxmemory-policy", "volatile-lru") as url:
        [warning] = broker_durability_warnings(celery_on(url))
    assert "maxmemory-policy volatile-lru" in warning


def test_a_redis_without_config_is_said_to_be_unchecked_not_fine(tmp_path):
    # Managed Redis services disable CONFIG; the check must not take silence for durability.
    with redis_server(tmp_path, *FORGETFUL, "--rename-command", "CONFIG", "") as url:
        [warning] = broker_durability_warnings(celery_on(url))
    assert warning.startswith("Could not check the Redis broker's appendonly")
    assert "make sure it keeps appendonly yes and maxmemory-policy noeviction" in warning


def test_an_unreachable_redis_is_unchecked_and_its_password_never_shown():
    url = "redis://:s3cret-pass@127.0.0.1:1/0"
    [warning] = broker_durability_warnings(celery_on(url), timeout=1)
    assert warning.startswith("Could not check") and "s3cret-pass" not in warning


def test_rabbitmq_is_not_asked():
    # Nothing listens on port 1: an attempt to connect would come back as a warning.
    assert broker_durability_warnings(celery_on("amqp://guest@127.0.0.1:1//")) == []


@pytest.mark.parametrize("env, logged", [("production", 2), ("development", 0)])
def test_a_production_worker_logs_each_warning_at_start_up(tmp_path, caplog, env, logged):
    caplog.set_level(logging.WARNING, "app.operations.broker_durability")
    with redis_server(tmp_path, *FORGETFUL) as url:
        celery_app = celery_on(url)
        celery_app.flask_app = SimpleNamespace(config={"TICKLER_ENV": env})
        check_broker_durability_at_start(sender=SimpleNamespace(app=celery_app))
        assert log_broker_durability(celery_app, "web")  # what wsgi.py runs in production
    worker_lines = [r.getMessage() for r in caplog.records if "worker start-up" in r.getMessage()]
    assert len(worker_lines) == logged
    assert all("redis://" not in line for line in worker_lines)
