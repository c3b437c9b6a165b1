"""Writing an export in the worker: re-check access, list the tasks, stream them to a file."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select, update

from app.accounts.models import User
from app.core.database import DbSession, execute_dml, utcnow
from app.core.email.live_runs import holder_alive
from app.core.errors import RuleViolation
from app.core.i18n import DEFAULT_LANGUAGE, in_language
from app.exports.files import open_writer
from app.exports.format import TaskRow
from app.exports.models import Export, ExportStatus
from app.exports.service import N_, TRANSLATE_HEADERS, filters_from_json, mark_failed
from app.labels.queries import labels_for_tasks
from app.projects import service as project_rules
from app.projects.models import Project, ProjectMember
from app.tasklist.models import Task
from app.tasklist.service import apply_filters, apply_sort, visible_tasks

log = logging.getLogger(__name__)
NO_ACCESS_MESSAGE = N_("You no longer have access to this project, so nothing was exported.")
# One batch is one IN (...) list: PostgreSQL takes at most 65,535 parameters per statement.
MAX_BATCH_SIZE = 10_000
WRITE_FAILED_MESSAGE = N_("The export could not be written. Try again, or tell an administrator.")


@dataclass(frozen=True)
class ExportOutcome:
    export_id: int
    status: str
    rows_written: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"export_id": self.export_id, "status": self.status, "rows": self.rows_written}


# The name of an export's run lock (app.core.email.live_runs): held while it is written, so
# the sweep can tell an export whose worker died from a long one still running.
RUN_TOKEN_PREFIX = "export-"


def run_token(export_id: int) -> str:
    return f"{RUN_TOKEN_PREFIX}{export_id}"


def requeue_abandoned(session: DbSession, now: datetime, lease: timedelta) -> list[int]:
    """Exports left running by a worker that died: started over `lease` ago with their run lock
    free (on PostgreSQL; elsewhere the lease alone decides). Back to queued, from nothing, in
    one statement guarded on the status, so two sweeps never both take one; the ids to queue."""
    token = func.concat(RUN_TOKEN_PREFIX, Export.id)
    returned = session.execute(
        update(Export)
        .where(
            Export.status == ExportStatus.RUNNING,
            Export.started_at < now - lease,
            ~holder_alive(session.get_bind().dialect.name, token),
        )
        .values(status=ExportStatus.QUEUED, rows_written=0, total_rows=None, started_at=None)
        .returning(Export.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(returned.scalars())


def drop_partial_files(export_dir: Path, export_id: int) -> None:
    """Delete what a dead run of this export left half-written; the new run starts over."""
    if export_dir.is_dir():
        for partial in export_dir.glob(f".export-{export_id}-*.part"):
            partial.unlink(missing_ok=True)


def claim(session: DbSession, export_id: int, now: datetime) -> bool:
    """Move a queued export to running; False when another run has it or it is gone."""
    result = execute_dml(
        session,
        update(Export)
        .where(Export.id == export_id, Export.status == ExportStatus.QUEUED)
        .values(status=ExportStatus.RUNNING, started_at=now),
    )
    session.commit()
    return result.rowcount == 1


def task_ids_query(session: DbSession, export: Export) -> Select | None:
    """The ids of the tasks the export covers, in the list's order; None if access is gone."""
    user = session.get(User, export.user_id)
    if user is None or not user.is_active:
        return None
    filters = filters_from_json(export.filters)
    if export.project_id is not None:
        if project_rules.membership(session, export.project_id, export.user_id) is None:
            return None
        query = visible_tasks().where(Task.project_id == export.project_id)
    else:
        query = (
            visible_tasks()
            .join(
                ProjectMember,
                (ProjectMember.project_id == Task.project_id)
                & (ProjectMember.user_id == export.user_id),
            )
            .where(Task.assignee_id == export.user_id)
        )
    return apply_sort(apply_filters(query, filters), filters.sort).with_only_columns(Task.id)


def rows_for(session: DbSession, ids: array) -> list[TaskRow]:
    """The exported columns of these tasks, in the order of `ids`, in two queries (the rows,
    then their labels)."""
    found = {
        row.id: row
        for row in session.execute(
            select(
                Task.id,
                Task.title,
                Task.status,
                Task.priority,
                Project.name.label("project"),
                User.name.label("assignee"),
                Task.due_at,
                Task.created_at,
                Task.completed_at,
                Task.description,
            )
            .join(Project, Project.id == Task.project_id)
            .outerjoin(User, User.id == Task.assignee_id)
            .where(Task.id.in_(list(ids)))
        )
    }
    labels = labels_for_tasks(session, found)
    return [
        TaskRow(
            row.id,
            row.title,
            row.status.value,
            row.priority.value,
            row.project,
            row.assignee,
            row.due_at,
            row.created_at,
            row.completed_at,
            row.description or "",
            tuple(label.name for label in labels.get(row.id, [])),
        )
        for row in (found.get(task_id) for task_id in ids)
        if row is not None  # deleted since the ids were read
    ]


def batches(ids: array, size: int) -> Iterator[array]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def run_export(
    session: DbSession,
    export_id: int,
    export_dir: Path,
    batch_size: int,
    ttl: timedelta,
    now: datetime,
) -> ExportOutcome:
    """Write the export's file, saving progress after each batch; one run per export. A run
    after one that died (the sweep queued it again) starts the file over.

    Memory stays bounded: the task ids in order (8 bytes each), then `batch_size` rows at a
    time, written and let go. The file appears in EXPORT_DIR only once it is complete."""
    batch_size = min(max(batch_size, 1), MAX_BATCH_SIZE)
    if not claim(session, export_id, now):
        return ExportOutcome(export_id, "skipped")
    drop_partial_files(export_dir, export_id)  # a run before this one may have died writing
    export = session.get_one(Export, export_id)
    try:
        query = task_ids_query(session, export)
    except RuleViolation as error:
        mark_failed(session, export_id, str(error), now)
        session.commit()
        return ExportOutcome(export_id, ExportStatus.FAILED.value)
    if query is None:
        mark_failed(session, export_id, NO_ACCESS_MESSAGE, now)
        session.commit()
        return ExportOutcome(export_id, ExportStatus.FAILED.value)
    user = session.get_one(User, export.user_id)
    timezone_name, export_format = user.timezone, export.format
    # People read the header row in their language; programs read the English column names.
    language = user.language if export.filters.get(TRANSLATE_HEADERS) else DEFAULT_LANGUAGE
    ids = array("q", session.scalars(query.execution_options(yield_per=10_000)))
    session.execute(update(Export).where(Export.id == export_id).values(total_rows=len(ids)))
    session.commit()

    name = f"export-{export_id}-{secrets.token_hex(8)}.{export_format.value}"
    partial = export_dir / f".{name}.part"
    written = 0
    try:
        export_dir.mkdir(parents=True, exist_ok=True)
        with in_language(language):
            writer = open_writer(export_format, partial, timezone_name)
        try:
            for batch in batches(ids, batch_size):
                rows = rows_for(session, batch)
                writer.write(rows)
                written += len(rows)
                session.execute(
                    update(Export).where(Export.id == export_id).values(rows_written=written)
                )
                session.commit()
        finally:
            writer.close()
        os.replace(partial, export_dir / name)
    except Exception:
        log.exception("export %s failed", export_id)
        session.rollback()
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        mark_failed(session, export_id, WRITE_FAILED_MESSAGE, now)
        session.commit()
        return ExportOutcome(export_id, ExportStatus.FAILED.value, written)

    finished = utcnow()
    session.execute(
        update(Export)
        .where(Export.id == export_id)
        .values(
            status=ExportStatus.DONE,
            rows_written=written,
            total_rows=written,
            file_path=name,
            size_bytes=(export_dir / name).stat().st_size,
            finished_at=finished,
            expires_at=finished + ttl,
        )
    )
    session.commit()
    return ExportOutcome(export_id, ExportStatus.DONE.value, written)
