"""Jobs kept in the database while the broker is down, and handing them over once it is back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from app.core.database import DbSession
from app.core.models import PendingJob


def keep(
    session: DbSession, task_name: str, args: list, kwargs: dict, error: str, now: datetime
) -> None:
    """Remember a job that could not be queued; the caller commits."""
    session.add(
        PendingJob(
            task_name=task_name,
            args=list(args),
            kwargs=dict(kwargs),
            created_at=now,
            last_error=error[:1000],
        )
    )


def oldest(session: DbSession, limit: int = 500) -> list[PendingJob]:
    """The waiting jobs, oldest first, locked so two flushes never hand one over twice."""
    query = select(PendingJob).order_by(PendingJob.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def forget(session: DbSession, ids: list[int]) -> None:
    """Drop the jobs that were handed to the broker, in one statement."""
    if ids:
        session.execute(delete(PendingJob).where(PendingJob.id.in_(ids)))


def as_call(job: PendingJob) -> tuple[str, list, dict[str, Any]]:
    return job.task_name, list(job.args or []), dict(job.kwargs or {})
