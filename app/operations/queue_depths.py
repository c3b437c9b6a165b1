"""How many messages wait in each queue, asked of the broker itself."""

from __future__ import annotations

import logging

from celery import Celery
from kombu import Connection
from kombu.transport.base import StdChannel
from kombu.transport.pyamqp import Channel as AmqpChannel
from kombu.transport.redis import Channel as RedisChannel

from app.extensions import QUEUES, broker_family

log = logging.getLogger(__name__)


def queue_depths(celery_app: Celery, queues: tuple[str, ...] = QUEUES) -> dict[str, int | None]:
    """Messages waiting per queue; None for a queue (or a broker) that could not be read."""
    depths: dict[str, int | None] = dict.fromkeys(queues)
    family = broker_family(celery_app.conf.broker_url or "")
    try:
        with celery_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            if family == "redis":
                depths.update(_redis_depths(connection.default_channel, queues))
            elif family == "amqp":
                depths.update(_amqp_depths(connection, queues))
    except Exception as error:  # the page must render with the broker down
        log.warning("queue depths unavailable: %s", type(error).__name__)
    return depths


def _redis_depths(channel: StdChannel, queues: tuple[str, ...]) -> dict[str, int]:
    if not isinstance(channel, RedisChannel):
        raise TypeError(f"a {type(channel).__name__} is not a Redis channel")
    # kombu keeps priority 0 in `<queue>` and step N in `<queue><sep>N`; the channel's client
    # adds the global_keyprefix itself.
    steps = list(channel.priority_steps)
    with channel.client.pipeline() as pipe:
        for queue in queues:
            for step in steps:
                pipe.llen(f"{queue}{channel.sep}{step}" if step else queue)
        sizes = pipe.execute()
    return {
        queue: sum(sizes[i * len(steps) : (i + 1) * len(steps)]) for i, queue in enumerate(queues)
    }


def _amqp_depths(connection: Connection, queues: tuple[str, ...]) -> dict[str, int | None]:
    depths: dict[str, int | None] = {}
    for queue in queues:
        channel = connection.channel()
        if not isinstance(channel, AmqpChannel):
            raise TypeError(f"a {type(channel).__name__} is not an AMQP channel")
        try:
            # py-amqp answers a queue_declare_ok_t; its stubs say a plain tuple, or None.
            declared = channel.queue_declare(queue=queue, passive=True)
            depths[queue] = declared.message_count  # type: ignore[union-attr]
        except Exception:  # not declared yet: no worker ever consumed it
            depths[queue] = None
        finally:
            try:
                channel.close()
            except Exception:
                pass
    return depths
