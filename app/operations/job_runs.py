"""Scheduled jobs' runs, kept in task_runs: a job's summary, its end, and the Jobs page view."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.database import DbSession, execute_dml, utcnow
from app.operations.models import ScheduleSetting, TaskRun
from app.operations.schedule_settings import merged_overrides
from app.operations.task_runs import describe_error, record_finish, record_state
from app.schedule import (
    PERIODIC_JOBS,
    describe_crontab,
    describe_job,
    effective_crontab,
    next_run,
)

log = logging.getLogger(__name__)
# A run still "started" this long after it started lost its worker or its database mid-way,
# and its end could not be written: the sweep ends its record as "interrupted".
RUN_ABANDONED_AFTER = timedelta(hours=2)
FINISH_TRIES = 5
SUMMARY_LIMIT = 2000


@dataclass
class RunNote:
    """What a job says about its run; filled in by the job, stored when it ends."""

    summary: str = ""
    details: dict = field(default_factory=dict)


@contextmanager
def recorded_run(session: DbSession, job: str, celery_id: str | None) -> Iterator[RunNote]:
    """Record the start, the end, the outcome and the summary of one run in its task run,
    even when it fails.

    The worker's signals record the run as well; the job writes its own start and end so the
    summary lands in the same row, the end is written even while the database is briefly
    away, and a run outside a worker (no Celery id) is recorded under an id of its own."""
    celery_id = celery_id or f"local-{uuid4()}"
    now = utcnow()
    record_state(
        session.connection(), celery_id, job, "started", now, started_at=now, finished_at=None
    )
    session.commit()
    note = RunNote()
    try:
        yield note
    except Exception as error:
        try:
            session.rollback()
        except DBAPIError:  # the database went away: the fresh connection below tries again
            pass
        message = f"{type(error).__name__}: {error}"
        _finish(session, celery_id, job, "failed", message, describe_error(error))
        raise
    _finish(session, celery_id, job, "succeeded", note.summary)


def _finish(
    session: DbSession,
    celery_id: str,
    job: str,
    outcome: str,
    summary: str,
    error: str | None = None,
) -> None:
    """Write the run's end, on a fresh connection so a broken transaction cannot stop it, trying
    again while the database is away (a cut mid-run must not leave the run "started")."""
    engine = session.get_bind()
    for attempt in range(FINISH_TRIES):
        try:
            with Session(engine) as fresh:
                record_finish(fresh.connection(), celery_id, job, outcome, utcnow(), error)
                fresh.execute(
                    update(TaskRun)
                    .where(TaskRun.celery_id == celery_id)
                    .values(summary=summary[:SUMMARY_LIMIT])
                )
                fresh.commit()
            return
        except DBAPIError as failure:
            log.warning("could not record the end of run %s: %s", celery_id, type(failure).__name__)
            if attempt + 1 < FINISH_TRIES:
                time.sleep(2**attempt)
    # Still unwritten: the sweep's `end_abandoned_runs` ends the record later.


ABANDONED = "its worker or database went away before the run could record its end"


def end_abandoned_runs(session: DbSession, now: datetime) -> int:
    """Runs left "started" long past any run's length end as "interrupted"; how many."""
    result = execute_dml(
        session,
        update(TaskRun)
        .where(TaskRun.state == "started", TaskRun.started_at < now - RUN_ABANDONED_AFTER)
        .values(state="interrupted", finished_at=now, summary=ABANDONED, error=ABANDONED)
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class LastRun:
    """A scheduled job's newest run as the Jobs page shows it."""

    started_at: datetime
    state: str
    summary: str | None = None

    @property
    def badge(self) -> str:
        return self.state if self.state in ("succeeded", "failed", "interrupted") else "running"


def last_runs(session: DbSession) -> dict[str, LastRun]:
    """The newest started run of each scheduled job's task, by task name, in one statement.

    Read from task_runs, which the worker's signals fill for every task, so a job shows its
    runs whether or not it writes a summary of its own."""
    names = {job.task for job in PERIODIC_JOBS}
    newest = (
        select(TaskRun.name, func.max(TaskRun.started_at).label("started_at"))
        .where(TaskRun.name.in_(names), TaskRun.started_at.is_not(None))
        .group_by(TaskRun.name)
        .subquery()
    )
    rows = session.execute(
        select(TaskRun.name, TaskRun.started_at, TaskRun.state, TaskRun.summary).join(
            newest,
            and_(TaskRun.name == newest.c.name, TaskRun.started_at == newest.c.started_at),
        )
    )
    return {
        name: LastRun(started, state, summary)
        for name, started, state, summary in rows
        if started is not None
    }


@dataclass(frozen=True)
class JobView:
    name: str
    task: str
    crontab: str
    schedule: str
    description: str
    next_run: datetime | None
    last_run: LastRun | None
    paused: bool = False
    # Where the crontab comes from: "page" (an admin's edit), "config" (SCHEDULE_<JOB>), "code".
    source: str = "code"


def job_overview(
    config: dict,
    runs: dict[str, LastRun],
    now: datetime,
    settings: dict[str, ScheduleSetting] | None = None,
) -> list[JobView]:
    """Every scheduled job with its schedule in words, next run, last run, and page edits."""
    config_overrides = config.get("CELERY_SCHEDULE_OVERRIDES") or {}
    settings = settings or {}
    overrides = merged_overrides(config_overrides, settings)
    views = []
    for job in PERIODIC_JOBS:
        expression = effective_crontab(job, overrides)
        setting = settings.get(job.name)
        paused = bool(setting and setting.paused)
        source = (
            "page"
            if setting and setting.crontab
            else "config"
            if job.name in config_overrides
            else "code"
        )
        views.append(
            JobView(
                job.name,
                job.task,
                expression,
                describe_crontab(expression),
                describe_job(job, config),
                None if paused else next_run(expression, now),
                runs.get(job.task),
                paused,
                source,
            )
        )
    return views
