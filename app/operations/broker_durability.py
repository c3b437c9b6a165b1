"""Does the broker keep what it is given? A Redis broker must persist its data (appendonly yes)
and never evict keys (maxmemory-policy noeviction), or a restart or a full memory silently
loses queued work. The sweep recovers owed email either way, but minutes later; this check
says so plainly at start-up, on /readyz and on Admin › Jobs (docs/DEPLOY.md has the settings).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import nullcontext

from celery import Celery
from flask import has_app_context
from flask_babel import gettext

from app.core.i18n import in_language
from app.extensions import broker_family

log = logging.getLogger(__name__)

WANTED = {"appendonly": "yes", "maxmemory-policy": "noeviction"}


def warnings_for(settings: Mapping[str, str]) -> list[str]:
    """The warnings a Redis broker's CONFIG values call for, in the current language (English
    in logs and on /readyz); none when both are as wanted."""
    found = []
    if (settings.get("appendonly") or "").lower() != WANTED["appendonly"]:
        found.append(
            gettext(
                "Redis broker has appendonly %(value)s: a Redis restart loses every queued job "
                "and the sent marks; set appendonly yes (docs/DEPLOY.md, section 3: what the "
                "broker must keep).",
                value=settings.get("appendonly") or gettext("unset"),
            )
        )
    if (settings.get("maxmemory-policy") or "").lower() != WANTED["maxmemory-policy"]:
        found.append(
            gettext(
                "Redis broker has maxmemory-policy %(value)s: Redis may evict queued jobs when "
                "its memory fills; set maxmemory-policy noeviction (docs/DEPLOY.md, section 3: "
                "what the broker must keep).",
                value=settings.get("maxmemory-policy") or gettext("unset"),
            )
        )
    return found


def broker_durability_warnings(celery_app: Celery, timeout: float = 2.0) -> list[str]:
    """Ask the broker for its settings and say what is wrong with them; nothing for a broker
    that is not Redis (RabbitMQ keeps durable queues on disk by itself). A Redis whose CONFIG
    command is disabled (managed services) or that cannot be reached is said to be unchecked,
    never taken to be fine."""
    if broker_family(celery_app.conf.broker_url or "") != "redis":
        return []
    try:
        settings = read_redis_settings(celery_app, timeout)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the answer is "unknown"
        what = f"{type(error).__name__}: {str(error)[:120]}"
        return [
            gettext(
                "Could not check the Redis broker's appendonly and maxmemory-policy "
                "(%(error)s); CONFIG may be disabled, as on managed Redis: make sure it keeps "
                "appendonly yes and maxmemory-policy noeviction (docs/DEPLOY.md, section 3: "
                "what the broker must keep).",
                error=what,
            )
        ]
    return warnings_for(settings)


def read_redis_settings(celery_app: Celery, timeout: float) -> dict[str, str]:
    """CONFIG GET over the app's own broker connection, so TLS and Sentinel work as for jobs."""
    with celery_app.connection_for_read() as connection:
        # kombu takes seconds as a float; celery-types says int.
        connection.ensure_connection(max_retries=1, timeout=timeout)  # type: ignore[arg-type]
        # kombu's Redis channel has `client`; celery-types knows only the abstract channel.
        client = connection.default_channel.client  # type: ignore[attr-defined]
        settings: dict[str, str] = {}
        for name in WANTED:
            settings.update(client.config_get(name))
        return settings


def log_broker_durability(celery_app: Celery, who: str) -> list[str]:
    """At start-up: each warning as one log line (the URL, and so any password, is never
    logged)."""
    # A log is read in English; outside an app context words are English already.
    with in_language("en") if has_app_context() else nullcontext():
        found = broker_durability_warnings(celery_app)
    for warning in found:
        log.warning("%s start-up: %s", who, warning)
    return found
