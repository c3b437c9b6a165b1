"""Every Celery task's run as its signals told it: recorded, redacted, listed, retried."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, and_, delete, func, not_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from app.core.database import DbSession, execute_dml
from app.operations.models import TaskRun
from app.schedule import HOUSEKEEPING_TASKS

STATES = ("pending", "started", "retrying", "succeeded", "failed", "interrupted")
# Each state as the Jobs page's badges say it (its filter capitalises them).
STATE_LABELS = {
    "pending": lazy_gettext("pending"),
    "started": lazy_gettext("started"),
    "retrying": lazy_gettext("retrying"),
    "succeeded": lazy_gettext("succeeded"),
    "failed": lazy_gettext("failed"),
    "interrupted": lazy_gettext("interrupted"),
}
PAGE_SIZE = 25
ERROR_LIMIT = 1000
REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"pass|token|secret|api_?key|auth|credential|cookie|session|email", re.I)
EMAIL = re.compile(r"[^\s@/:]+@[^\s@/]+\.[A-Za-z]{2,}")
URL_WITH_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]*@\S*", re.I)


def redact(value: Any, key: str | None = None) -> Any:
    """A copy safe to show: secret-looking keys hidden, emails and credentialed URLs masked."""
    if key is not None and SECRET_KEY.search(key) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, dict):
        return {str(k): redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        value = URL_WITH_CREDENTIALS.sub(REDACTED, value)
        return EMAIL.sub("[email]", value)
    return value


def arguments(args: Any, kwargs: Any) -> dict[str, Any]:
    """Args and kwargs as JSON-able data (anything odd becomes its repr)."""
    return {"args": _jsonable(list(args or ())), "kwargs": _jsonable(dict(kwargs or {}))}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def describe_error(error: BaseException | None) -> str | None:
    if error is None:
        return None
    return f"{type(error).__name__}: {error}"[:ERROR_LIMIT]


def _insert(connection: Connection) -> Any:
    return pg_insert if connection.dialect.name == "postgresql" else sqlite_insert


def record_queued(
    connection: Connection,
    celery_id: str,
    name: str,
    queue: str | None,
    args: Any,
    kwargs: Any,
    now: datetime,
) -> None:
    """A task was sent; a row that a worker already moved on is left as it is."""
    raw = arguments(args, kwargs)
    statement = _insert(connection)(TaskRun).values(
        celery_id=celery_id,
        name=name,
        queue=queue,
        state="pending",
        created_at=now,
        arguments=redact(raw),
        raw_arguments=raw,
        retries=0,
    )
    connection.execute(statement.on_conflict_do_nothing(index_elements=["celery_id"]))


def record_state(
    connection: Connection, celery_id: str, name: str, state: str, now: datetime, **fields: Any
) -> None:
    """Upsert one task's state and whatever else the signal knew (started_at, error ...)."""
    if "raw_arguments" in fields:
        fields["arguments"] = redact(fields["raw_arguments"])
    values = {"celery_id": celery_id, "name": name, "state": state, **fields}
    statement = _insert(connection)(TaskRun).values({"created_at": now, "retries": 0, **values})
    connection.execute(statement.on_conflict_do_update(index_elements=["celery_id"], set_=values))


def record_finish(
    connection: Connection,
    celery_id: str,
    name: str,
    state: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Success or failure: the end time, the runtime since the start, the error if any."""
    # A success keeps the error of its last retry: it says why the run needed retries.
    fields = {"finished_at": now} if error is None else {"finished_at": now, "error": error}
    record_state(connection, celery_id, name, state, now, **fields)
    started = connection.scalar(select(TaskRun.started_at).where(TaskRun.celery_id == celery_id))
    if started is not None:
        runtime = max(0, round((now - started).total_seconds() * 1000))
        connection.execute(
            update(TaskRun).where(TaskRun.celery_id == celery_id).values(runtime_ms=runtime)
        )


@dataclass(frozen=True)
class RunPage:
    runs: list[TaskRun]
    page: int
    pages: int
    total: int
    state: str | None
    housekeeping: bool = False
    # Successful housekeeping runs left out of this list (0 when they are shown).
    folded: int = 0


def _folded_housekeeping() -> ColumnElement[bool]:
    return and_(TaskRun.name.in_(HOUSEKEEPING_TASKS), TaskRun.state != "failed")


def recent_runs(
    session: DbSession, state: str | None = None, page: int = 1, housekeeping: bool = False
) -> RunPage:
    """One page of task runs, newest first, in three statements whatever the page holds.

    Without `housekeeping`, runs of the housekeeping jobs are left out unless they failed:
    one of them runs every minute and would bury everything else."""
    conditions: list[ColumnElement[bool]] = []
    if state:
        conditions.append(TaskRun.state == state)
    folded = 0
    if not housekeeping:
        folded = (
            session.scalar(
                select(func.count(TaskRun.id)).where(*conditions, _folded_housekeeping())
            )
            or 0
        )
        conditions.append(not_(_folded_housekeeping()))
    total = session.scalar(select(func.count(TaskRun.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    runs = session.scalars(
        select(TaskRun)
        .where(*conditions)
        .order_by(TaskRun.created_at.desc(), TaskRun.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return RunPage(list(runs), page, pages, total, state, housekeeping, folded)


def retry_request(session: DbSession, run_id: int) -> tuple[str, list, dict] | None:
    """The task name and its real arguments, for Retry; None unless the run failed."""
    run = session.get(TaskRun, run_id)
    if run is None or run.state != "failed":
        return None
    raw = run.raw_arguments or {}
    return run.name, list(raw.get("args") or []), dict(raw.get("kwargs") or {})


def delete_runs_before(session: DbSession, cutoff: datetime) -> int:
    """Forget runs created before `cutoff`; the count deleted."""
    result = execute_dml(session, delete(TaskRun).where(TaskRun.created_at < cutoff))
    return result.rowcount or 0
