"""Celery's own signals, written to task_runs: queued, started, retrying, succeeded, failed.

Each write is one short transaction on its own connection (never the task's session), so a
task that rolls back its own work still leaves its state behind; a failed write is logged and
never breaks the task or the request that sent it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import current_app as current_celery_app
from celery import signals
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

from app.core.database import utcnow
from app.extensions import db
from app.operations import task_runs

log = logging.getLogger(__name__)
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _flask_app(celery_app: Any) -> Flask | None:
    app = getattr(celery_app, "flask_app", None)
    if app is None or not app.config.get("TASK_TRACKING", True):
        return None
    return app


def tracking_engine(app: Flask) -> Engine:
    """A small engine of its own: tracking never shares a connection (or a transaction, or a
    statement count) with the app's session. One per database URL, shared by every app."""
    with app.app_context():
        url = db.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return db.engine  # an in-memory database exists only in that engine
    key = url.render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            # SQLite: give up quickly rather than hold a task behind another writer's lock.
            options = (
                {"connect_args": {"timeout": 1}}
                if url.get_backend_name() == "sqlite"
                else {"pool_size": 2}
            )
            engine = _ENGINES[key] = create_engine(url, pool_pre_ping=True, **options)
    return engine


def _write(app: Flask | None, name: str, work: Callable[[Connection], None]) -> None:
    if app is None or not name or name.startswith("celery."):
        return
    try:
        with tracking_engine(app).begin() as connection:
            work(connection)
    except Exception as error:  # tracking must never break a task or a request
        log.warning("task run not recorded for %s: %s", name, type(error).__name__)


def on_publish(
    sender: str | None = None,
    headers: dict | None = None,
    body: Any = None,
    routing_key: str | None = None,
    **_: Any,
) -> None:
    headers = headers or {}
    celery_id, name = headers.get("id"), headers.get("task") or sender
    if not celery_id or not name or headers.get("retries"):
        return  # a retry re-sends the same id; its row already says "retrying"
    args, kwargs = ((), {})
    if isinstance(body, list | tuple) and len(body) >= 2:  # protocol 2: (args, kwargs, embed)
        args, kwargs = body[0], body[1]
    _write(
        _flask_app(current_celery_app),
        name,
        lambda c: task_runs.record_queued(c, celery_id, name, routing_key, args, kwargs, utcnow()),
    )


def on_prerun(
    sender: Any = None, task_id: str | None = None, args: Any = None, kwargs: Any = None, **_: Any
) -> None:
    if task_id is None:
        return  # Celery always sends it
    request = sender.request
    queue = (request.delivery_info or {}).get("routing_key")
    raw = task_runs.arguments(args, kwargs)
    now = utcnow()
    _write(
        _flask_app(sender.app),
        sender.name,
        lambda c: task_runs.record_state(
            c,
            task_id,
            sender.name,
            "started",
            now,
            started_at=now,
            queue=queue,
            retries=request.retries or 0,
            raw_arguments=raw,
            finished_at=None,
        ),
    )


def on_retry(sender: Any = None, request: Any = None, reason: Any = None, **_: Any) -> None:
    error = getattr(reason, "exc", None) or reason
    message = task_runs.describe_error(error) if isinstance(error, BaseException) else str(error)
    _write(
        _flask_app(sender.app),
        sender.name,
        lambda c: task_runs.record_state(
            c,
            request.id,
            sender.name,
            "retrying",
            utcnow(),
            retries=(request.retries or 0) + 1,
            error=message,
        ),
    )


def on_success(sender: Any = None, **_: Any) -> None:
    celery_id = sender.request.id
    _write(
        _flask_app(sender.app),
        sender.name,
        lambda c: task_runs.record_finish(c, celery_id, sender.name, "succeeded", utcnow()),
    )


def on_failure(
    sender: Any = None, task_id: str | None = None, exception: Any = None, **_: Any
) -> None:
    if task_id is None:
        return  # Celery always sends it
    message = task_runs.describe_error(exception)
    _write(
        _flask_app(sender.app),
        sender.name,
        lambda c: task_runs.record_finish(c, task_id, sender.name, "failed", utcnow(), message),
    )


def connect_task_tracking() -> None:
    """Connect the handlers once per process, whichever Flask app asks."""
    for signal, handler in (
        (signals.before_task_publish, on_publish),
        (signals.task_prerun, on_prerun),
        (signals.task_retry, on_retry),
        (signals.task_success, on_success),
        (signals.task_failure, on_failure),
    ):
        signal.connect(handler, weak=False, dispatch_uid=f"tickler-{handler.__name__}")
