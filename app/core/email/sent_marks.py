"""Marks in Redis of each email the SMTP server accepted, written the moment it says 250.

The ledger is settled once per chunk, in one statement; a worker killed mid-chunk would leave
the whole chunk claimed but unsettled, and its redelivery would send again what already went.
A mark per accepted send closes that window to the time between the server's 250 and one
Redis round trip; the redelivered chunk reads the marks (one MGET) and skips those emails."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import redis

log = logging.getLogger(__name__)

# Longer than any claim lives (ledger.STALE_CLAIM_AFTER) and any redelivery takes to come
# back (the broker's visibility timeout); settled chunks delete theirs at once.
MARK_TTL_SECONDS = 3 * 24 * 3600
REDIS_SCHEMES = {"redis", "rediss"}


class MarksUnavailable(RuntimeError):
    """Redis did not take the mark; the sender stops rather than send what it cannot record."""


def marks_url(explicit: str | None, celery_settings: Mapping[str, Any]) -> str | None:
    """Where marks live: DELIVERY_MARKS_URL if set, else the first Redis URL among the broker
    and the result backend; None when neither is Redis (then the chunk's settle alone)."""
    if explicit:
        return explicit
    for key in ("broker_url", "result_backend"):
        url = celery_settings.get(key) or ""
        if urlsplit(url).scheme.lower() in REDIS_SCHEMES:
            return url
    return None


def key_prefix(celery_settings: Mapping[str, Any]) -> str:
    """Keys share the broker's global prefix, so two installations on one Redis never mix."""
    options = celery_settings.get("broker_transport_options") or {}
    return f"{options.get('global_keyprefix', '')}tickler:sent:"


class SentMarks:
    """delivery id -> Message-ID of the accepted email, with a TTL."""

    def __init__(self, client: redis.Redis | None, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def _key(self, delivery_id: int) -> str:
        return f"{self.prefix}{delivery_id}"

    def mark(self, delivery_id: int, message_id: str) -> None:
        """Record an accepted send; raises MarksUnavailable if Redis did not take it."""
        if self.client is None:
            return
        try:
            self.client.set(self._key(delivery_id), message_id, ex=MARK_TTL_SECONDS)
        except redis.RedisError as error:
            raise MarksUnavailable(str(error)) from error

    def already_sent(self, delivery_ids: list[int]) -> dict[int, str]:
        """Those of `delivery_ids` an earlier run of the job sent, with their Message-IDs.

        Unreadable marks raise: sending blind could repeat a whole chunk."""
        if self.client is None or not delivery_ids:
            return {}
        try:
            values = self.client.mget([self._key(i) for i in delivery_ids])
        except redis.RedisError as error:
            raise MarksUnavailable(str(error)) from error
        return {
            delivery_id: value.decode() if isinstance(value, bytes) else value
            for delivery_id, value in zip(delivery_ids, values, strict=True)
            if value is not None
        }

    def forget(self, delivery_ids: Iterable[int]) -> None:
        """Drop the marks of settled deliveries; the ledger row speaks for them now."""
        keys = [self._key(i) for i in delivery_ids]
        if self.client is None or not keys:
            return
        try:
            self.client.delete(*keys)
        except redis.RedisError:
            log.warning("could not delete %d sent marks; they expire on their own", len(keys))


_clients: dict[str, redis.Redis] = {}


def marks_for(config: Mapping[str, Any]) -> SentMarks:
    """The marks store of this app's configuration; one client (and connection pool) per URL."""
    celery_settings = config["CELERY"]
    url = marks_url(config.get("DELIVERY_MARKS_URL"), celery_settings)
    if url is None:
        return SentMarks(None, "")
    if url not in _clients:
        # Short timeouts: a mark is one small command on a nearby server.
        _clients[url] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return SentMarks(_clients[url], key_prefix(celery_settings))
