"""Sending one email from inside a Celery job: retried with backoff while the failure is
transient, logged when it is not. Every feature's email job sends through it."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from flask import current_app

from app.core.email.send import SENT, TRANSIENT, OutgoingEmail, SendResult, send_batch

log = logging.getLogger(__name__)


def email_job(name: str, max_retries: int | None = 5) -> Callable[[Callable[..., Any]], Task]:
    """A bound Celery task that sends email, under its fixed `name`: acknowledged only once it
    ran and handed back if its worker is lost, so no email goes missing with a worker; up to
    `max_retries` retries (None: for ever)."""
    decorate: Callable[[Callable[..., Any]], Task] = shared_task(
        bind=True,
        name=name,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=max_retries,
    )
    return decorate


def may_retry(job: Task) -> bool:
    """Whether `job` has a retry left; a max_retries of None means for ever, as in Celery."""
    return job.max_retries is None or job.request.retries < job.max_retries


def send_one(
    job: Task, email: OutgoingEmail, before_retry: Callable[[], None] | None = None
) -> SendResult:
    """Send one email from inside `job`; a transient failure retries the job with backoff
    (after `before_retry`) until its retries run out, anything else is logged."""
    [result] = send_batch([email])
    if result.outcome == TRANSIENT and may_retry(job):
        if before_retry is not None:
            before_retry()
        raise job.retry(countdown=retry_countdown(job.request.retries))
    if result.outcome != SENT:
        log.error("%s to user %s failed: %s", job.name, email.key, result.error)
    return result


def retry_countdown(retries: int) -> float:
    """Exponential backoff with jitter, so a recovering server is not hit by all at once."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    ceiling = current_app.config["MAIL_RETRY_MAX_SECONDS"]
    return min(ceiling, base * 2**retries) * random.uniform(0.5, 1.5)
