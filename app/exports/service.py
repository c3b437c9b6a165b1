"""Exports: asking for one, who may see it, its file, and clearing away expired files."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.core.database import DbSession, execute_dml
from app.core.errors import NotFound, RuleViolation
from app.exports.models import Export, ExportFormat, ExportStatus
from app.projects import service as project_rules
from app.projects.models import Project
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import SORTS, TaskFilters

log = logging.getLogger(__name__)


def N_(message: str) -> str:  # noqa: N802  (the name gettext's tools know)
    """Marks a message for the catalogs without translating it: an export's error is stored in
    English (the API shows it so) and translated when a page shows it (Export.error_text)."""
    return message


MY_EXPORTS_LIMIT = 50
# Exports queued or running at once per person: enough for real use, not enough to flood.
MAX_ACTIVE_EXPORTS = 3
QUEUE_DOWN_MESSAGE = N_("The task queue was not reachable, so the export did not start. Try again.")
# Files are written just before their export's expiry clock starts; this covers the gap.
LEFTOVER_GRACE = timedelta(hours=1)
STALLED_MESSAGE = N_("The export stopped before it finished (the worker may have restarted).")
FILTERS_INVALID_MESSAGE = N_("The export's filters are not valid.")
# The key in Export.filters saying the header row is in the person's language (pages); without
# it the headers are the English column names programs read (the API).
TRANSLATE_HEADERS = "translate_headers"


def parse_format(value: str | None) -> ExportFormat:
    try:
        return ExportFormat((value or "").strip().lower())
    except ValueError:
        raise RuleViolation(gettext("Choose CSV or XLSX as the export format.")) from None


def filters_to_json(filters: TaskFilters) -> dict[str, Any]:
    return {
        "statuses": [status.value for status in filters.statuses],
        "priorities": [priority.value for priority in filters.priorities],
        "assignee_id": filters.assignee_id,
        "unassigned": filters.unassigned,
        "sort": filters.sort,
        "label_ids": list(filters.label_ids),
    }


def filters_from_json(data: dict[str, Any]) -> TaskFilters:
    """The filters an export was asked with; RuleViolation if they were tampered with."""
    try:
        sort = data.get("sort", "due")
        if sort not in SORTS:
            raise ValueError(sort)
        assignee_id = data.get("assignee_id")
        if assignee_id is not None and not isinstance(assignee_id, int):
            raise ValueError(assignee_id)
        label_ids = data.get("label_ids", [])
        if not all(isinstance(label_id, int) and label_id > 0 for label_id in label_ids):
            raise ValueError(label_ids)
        return TaskFilters(
            tuple(TaskStatus(value) for value in data.get("statuses", [])),
            tuple(TaskPriority(value) for value in data.get("priorities", [])),
            assignee_id,
            bool(data.get("unassigned", False)),
            sort,
            tuple(label_ids),
        )
    except (ValueError, TypeError, AttributeError):
        # Raised in the worker, whose message is stored: English, translated when shown.
        raise RuleViolation(FILTERS_INVALID_MESSAGE) from None


def create_export(
    session: DbSession,
    *,
    user_id: int,
    project_id: int | None,
    export_format: str | None,
    filters: TaskFilters,
    translate_headers: bool = False,
) -> Export:
    """A queued export of a project's tasks (or, with no project, my tasks) with these filters.

    The project must be one the person belongs to: NotFound otherwise. `translate_headers`:
    the file's header row in the person's language (for people, from the pages); otherwise
    the English column names, which programs (the API) read the file by."""
    if project_id is not None:
        project_rules.get_project_for_member(session, project_id, user_id)
    chosen = parse_format(export_format)
    active = session.scalars(
        select(func.count())
        .select_from(Export)
        .where(
            Export.user_id == user_id,
            Export.status.in_([ExportStatus.QUEUED, ExportStatus.RUNNING]),
        )
    ).one()
    if active >= MAX_ACTIVE_EXPORTS:
        raise RuleViolation(
            ngettext(
                "You already have %(num)d export in progress; wait for it to finish.",
                "You already have %(num)d exports in progress; wait for one to finish.",
                active,
            )
        )
    if project_id is None:
        # "My tasks" are the tasks assigned to me; an assignee filter would contradict that.
        filters = TaskFilters(filters.statuses, filters.priorities, sort=filters.sort)
    export = Export(
        user_id=user_id,
        project_id=project_id,
        format=chosen,
        filters=filters_to_json(filters) | ({TRANSLATE_HEADERS: True} if translate_headers else {}),
        status=ExportStatus.QUEUED,
        rows_written=0,
    )
    session.add(export)
    session.flush()
    return export


def get_export_for_owner(session: DbSession, export_id: int, user_id: int) -> Export:
    """The export if `user_id` asked for it and may still see its project; NotFound otherwise."""
    export = session.scalar(
        select(Export).where(Export.id == export_id).options(joinedload(Export.project))
    )
    if export is None or export.user_id != user_id:
        raise NotFound(f"export {export_id}")  # i18n: internal
    project = export.project
    if project is not None and (
        not project_rules.membership(session, project.id, user_id)
        or project.deleted_at is not None  # a deleted project's files go with it
    ):
        raise NotFound(f"export {export_id}")  # i18n: internal
    return export


def exports_of(session: DbSession, user_id: int, limit: int = MY_EXPORTS_LIMIT) -> list[Export]:
    """A person's latest exports, newest first, with their projects, in one query."""
    return list(
        session.scalars(
            select(Export)
            .outerjoin(Project, Project.id == Export.project_id)
            .where(Export.user_id == user_id, Project.deleted_at.is_(None))
            .options(joinedload(Export.project))
            .order_by(Export.created_at.desc(), Export.id.desc())
            .limit(limit)
        )
    )


def mark_failed(session: DbSession, export_id: int, message: str, now: datetime) -> None:
    session.execute(
        update(Export)
        .where(Export.id == export_id)
        .values(status=ExportStatus.FAILED, error=message, finished_at=now)
    )


def requeue(export: Export) -> None:
    """Start a failed export again from nothing."""
    if export.status != ExportStatus.FAILED:
        raise RuleViolation(gettext("Only a failed export can be tried again."))
    export.status = ExportStatus.QUEUED
    export.rows_written = 0
    export.total_rows = None
    export.error = None
    export.started_at = export.finished_at = None


@dataclass(frozen=True)
class ExportFile:
    path: Path
    download_name: str


def file_of(export: Export, export_dir: Path) -> ExportFile:
    """The finished file and the name to download it as; NotFound if it is not (yet) there."""
    if export.status != ExportStatus.DONE or not export.file_path:
        raise NotFound(f"export {export.id} file")  # i18n: internal
    path = export_dir / export.file_path
    if not path.is_file():
        log.error("export %s: %s is missing (is EXPORT_DIR shared?)", export.id, path)
        raise NotFound(f"export {export.id} file")  # i18n: internal
    return ExportFile(path, download_name(export))


def download_name(export: Export) -> str:
    subject = slug(export.project.name) if export.project else "my-tasks"
    stamp = export.created_at.strftime("%Y%m%d-%H%M")
    return f"tickler-{subject or 'project'}-{stamp}.{export.format.value}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def cleanup_expired(session: DbSession, export_dir: Path, now: datetime, ttl: timedelta) -> dict:
    """Delete the files of exports past expires_at and mark them expired; fail stalled ones.

    Three statements whatever the number of exports; files are removed one by one."""
    expired = session.execute(
        select(Export.id, Export.file_path).where(
            Export.status == ExportStatus.DONE, Export.expires_at <= now
        )
    ).all()
    for _, file_path in expired:
        if file_path:
            (export_dir / file_path).unlink(missing_ok=True)
    if expired:
        session.execute(
            update(Export)
            .where(Export.id.in_([export_id for export_id, _ in expired]))
            .values(status=ExportStatus.EXPIRED, file_path=None)
        )
    stalled = execute_dml(
        session,
        update(Export)
        .where(
            Export.status.in_([ExportStatus.QUEUED, ExportStatus.RUNNING]),
            Export.created_at <= now - ttl,
        )
        .values(status=ExportStatus.FAILED, error=STALLED_MESSAGE, finished_at=now),
    )
    swept = sweep_leftovers(export_dir, now - ttl - LEFTOVER_GRACE)
    return {"expired": len(expired), "stalled": stalled.rowcount or 0, "swept": swept}


def sweep_leftovers(export_dir: Path, older_than: datetime) -> int:
    """Delete files no export row will ever expire: those of deleted projects or users, and
    the partial files of workers that died. Any file that old is past its time anyway."""
    if not export_dir.is_dir():
        return 0
    swept = 0
    for path in export_dir.iterdir():
        if not path.name.startswith(("export-", ".export-")) or not path.is_file():
            continue
        if path.stat().st_mtime < older_than.timestamp():
            path.unlink(missing_ok=True)
            swept += 1
    return swept
