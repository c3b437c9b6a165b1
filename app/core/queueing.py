"""The one after-commit outbox: jobs queued by a transaction go to the broker once it commits,
never for a rollback, and are kept in pending_jobs while the broker is unreachable."""

from __future__ import annotations

import logging
from typing import Any

import redis
from celery import Task
from celery.result import AsyncResult
from kombu.exceptions import OperationalError
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import pending_jobs
from app.core.database import DbSession, utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# What publishing raises when Redis is down: kombu's OperationalError for the broker; the Redis
# result backend's own errors (it subscribes to the result as the job is sent), which surface as
# redis-py's errors, a plain ConnectionError or a RuntimeError from its reconnect logic.
BROKER_UNREACHABLE = (
    OperationalError,
    redis.RedisError,
    ConnectionError,
    TimeoutError,
    RuntimeError,
)
JOBS_AFTER_COMMIT = "jobs_after_commit"
WROTE = "wrote_since_commit"
# How many of the last commit's jobs the broker did not take (kept in pending_jobs).
KEPT_AT_COMMIT = "jobs_kept_at_commit"


class AfterCommit:
    """What `queue` returns for a job that waits for the request's commit."""

    id = None


AFTER_COMMIT = AfterCommit()


def after_commit(session: DbSession, task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task` when `session`'s transaction commits; a rollback drops it. What event
    subscribers use: they run inside the change's transaction, always before its commit."""
    session.info.setdefault(JOBS_AFTER_COMMIT, []).append((task, args, kwargs))


def queue(task: Task, *args: Any, **kwargs: Any) -> AsyncResult | AfterCommit | None:
    """Queue `task` once the request's transaction commits (at once if it has nothing
    uncommitted); a rollback drops it. None when the broker was unreachable: the job is kept
    in pending_jobs and sent when the broker is back, and the page can say so."""
    if has_uncommitted_writes(db.session()):
        after_commit(db.session, task, *args, **kwargs)
        return AFTER_COMMIT
    return publish(task, args, kwargs)


def kept_for_later(session: DbSession) -> bool:
    """True when the broker took not all the jobs of `session`'s last commit: they wait in
    pending_jobs, and the page can tell the person their emails follow when it is back."""
    return bool(session.info.get(KEPT_AT_COMMIT))


def try_queue(task: Task, *args: Any, **kwargs: Any) -> AsyncResult | None:
    """Queue `task` now, or None when the broker is unreachable, for pages that ask the person
    to try again instead (an export, a confirmation link): nothing is kept. Callers commit
    first."""
    try:
        return task.delay(*args, **kwargs)
    except BROKER_UNREACHABLE:
        log.exception("could not queue %s", task.name)
        return None


def publish(task: Task, args: tuple, kwargs: dict) -> AsyncResult | None:
    """Send the job now; None when the broker is unreachable and it was kept for later."""
    try:
        return task.delay(*args, **kwargs)
    except BROKER_UNREACHABLE as error:
        log.warning("could not queue %s (%s); kept for when the broker is back", task.name, error)
        keep_for_later(task.name, args, kwargs, f"{type(error).__name__}: {error}")
        return None


def keep_for_later(task_name: str, args: tuple, kwargs: dict, error: str) -> None:
    """In a transaction of its own: the request's is committed already, or being committed."""
    with Session(db.engine) as session:
        pending_jobs.keep(session, task_name, list(args), kwargs, error, utcnow())
        session.commit()


def has_uncommitted_writes(session: DbSession) -> bool:
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def install() -> None:
    """Listen to every session's flush, commit and rollback; create_app calls this in every
    process (web and worker), and calling it again changes nothing."""
    for name, hook in (
        ("after_flush", note_write),
        ("after_commit", publish_waiting),
        ("after_rollback", drop_waiting),
    ):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def note_write(session: DbSession, flush_context: object) -> None:
    session.info[WROTE] = True


def publish_waiting(session: DbSession) -> None:
    """The committed transaction's jobs go to the broker, in the order they were queued."""
    session.info.pop(WROTE, None)
    waiting = session.info.pop(JOBS_AFTER_COMMIT, [])
    results = [publish(task, args, kwargs) for task, args, kwargs in waiting]
    session.info[KEPT_AT_COMMIT] = sum(1 for result in results if result is None)


def drop_waiting(session: DbSession) -> None:
    """A rolled-back transaction queues nothing: its jobs would act on data that never was."""
    session.info.pop(WROTE, None)
    session.info.pop(KEPT_AT_COMMIT, None)
    dropped = session.info.pop(JOBS_AFTER_COMMIT, [])
    if dropped:
        log.info("dropped %d jobs of a rolled-back transaction", len(dropped))
