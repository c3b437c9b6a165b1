"""Queueing background jobs from a request, after its transaction has committed."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.result import AsyncResult
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def queue(task: Task, *args: Any, **kwargs: Any) -> AsyncResult | None:
    """Queue `task`; None (logged) when the broker cannot be reached, so the page can say so.

    Callers commit first: a job must never run against data its request rolled back."""
    try:
        return task.delay(*args, **kwargs)
    except OperationalError:
        log.exception("could not queue %s", task.name)
        return None
