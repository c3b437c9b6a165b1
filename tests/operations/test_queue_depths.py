"""Queue depths asked of the real broker: Redis (priority lists summed) and RabbitMQ, each the
test run's own (a redis-server of its own, a RabbitMQ virtual host of its own): they are purged."""

from __future__ import annotations

import pytest

from app.operations.queue_depths import queue_depths
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

REDIS = f"redis://{REDIS_HOST}:{REDIS_PORT}/9"


def queue_some(celery, count: int) -> None:
    for n in range(count):
        # Different urgencies land in different priority lists on Redis; all are counted.
        celery.send_task(
            "app.tasks.analytics.precompute_analytics", queue="analytics", priority=n % 10
        )


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_depths_count_what_waits_in_each_queue(make_app, broker, request):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    url = REDIS if broker == "redis" else request.getfixturevalue("rabbitmq_url")
    app = make_app(CELERY={"broker_url": url, "result_backend": REDIS})
    celery = app.extensions["celery"]
    celery.control.purge()
    try:
        with celery.connection_for_write() as connection:
            for queue in celery.amqp.queues.values():
                queue(connection.default_channel).declare()
        queue_some(celery, 4)
        depths = queue_depths(celery)
        assert depths["analytics"] == 4
        assert depths["notifications"] == 0
        assert set(depths) >= {"default", "reminders", "exports", "webhooks"}
        body = app.test_client().get("/metrics").data.decode()
        assert 'tickler_queue_depth{queue="analytics"} 4.0' in body
        assert "tickler_broker_up 1.0" in body
    finally:
        celery.control.purge()


def test_metrics_say_the_broker_is_down_instead_of_failing(make_app):
    app = make_app(CELERY={"broker_url": "redis://127.0.0.1:1/0", "result_backend": REDIS})
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    assert "tickler_broker_up 0.0" in response.data.decode()
