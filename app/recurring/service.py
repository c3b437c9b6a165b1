"""Recurring series: create, edit the template, stop, and turn due occurrences into tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.database import DbSession, execute_dml
from app.core.errors import Forbidden, NotFound, RuleViolation
from app.projects.models import ProjectMember
from app.projects.service import is_owner
from app.recurring.models import RecurringSeries
from app.recurring.rules import Schedule, check_start, normalise_rule, occurrences_between
from app.tasklist.models import Task, TaskPriority, TaskStatus, not_deleted
from app.tasklist.service import check_assignee


@dataclass(frozen=True)
class TemplateFields:
    """What each occurrence copies, and when the occurrences fall."""

    title: str
    description: str
    priority: TaskPriority
    assignee_id: int | None
    rule: str
    starts_at: datetime


def schedule_of(series: RecurringSeries) -> Schedule:
    return Schedule(series.rule, series.starts_at, series.timezone)


def upcoming(series: RecurringSeries, now: datetime, count: int) -> list[datetime]:
    """The next `count` due moments after `now` (pure); none once the series has stopped."""
    if series.stopped_at is not None:
        return []
    return occurrences_between(schedule_of(series), now, now + timedelta(days=3660), count)


def create_series(
    session: DbSession, *, project_id: int, owner: User, fields: TemplateFields, now: datetime
) -> RecurringSeries:
    check_start(fields.starts_at, now)
    check_assignee(session, project_id, fields.assignee_id)
    series = RecurringSeries(project_id=project_id, owner_id=owner.id, timezone=owner.timezone)
    _write_template(series, fields)
    # Occurrences before the moment the series is made are not "missed": they never existed.
    series.created_through = min(now, fields.starts_at) - timedelta(seconds=1)
    session.add(series)
    session.flush()
    return series


def _write_template(series: RecurringSeries, fields: TemplateFields) -> None:
    series.title = fields.title.strip()
    series.description = fields.description.strip()
    series.priority = fields.priority
    series.assignee_id = fields.assignee_id
    series.rule = fields.rule
    series.starts_at = fields.starts_at


def update_template(
    session: DbSession, series: RecurringSeries, fields: TemplateFields, now: datetime
) -> int:
    """Change what future occurrences look like; returns how many created ones followed.

    Occurrences already due, started or done are history and stay as they were. Ones created
    ahead of time that nobody has started yet take the new title, description, priority and
    assignee; their due moments stay, because the old rule made them."""
    if series.stopped_at is not None:
        raise RuleViolation(gettext("This series has stopped; start a new one instead."))
    if fields.starts_at != series.starts_at:
        check_start(fields.starts_at, now)
    check_assignee(session, series.project_id, fields.assignee_id)
    schedule_changed = (fields.rule, fields.starts_at) != (series.rule, series.starts_at)
    _write_template(series, fields)
    if schedule_changed:
        # The new rule takes over from now; nothing before this moment is created late.
        series.created_through = max(series.created_through or now, now)
    result = execute_dml(
        session,
        update(Task)
        .where(
            Task.series_id == series.id,
            Task.status == TaskStatus.PENDING,
            Task.due_at > now,
            not_deleted(),
        )
        .values(
            title=series.title,
            description=series.description,
            priority=series.priority,
            assignee_id=series.assignee_id,
            updated_at=now,
        )
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


def template_with_changes(series: RecurringSeries, changes: dict[str, Any]) -> TemplateFields:
    """The series' template with `changes` applied; RuleViolation for an unknown or bad value."""
    known = {"title", "description", "priority", "assignee_id", "rule", "starts_at"}
    unknown = set(changes) - known
    if unknown:
        raise RuleViolation(
            gettext("Unknown template fields: %(fields)s.", fields=", ".join(sorted(unknown)))
        )
    try:
        priority = TaskPriority(changes.get("priority", series.priority.value))
        starts_at = (
            datetime.fromisoformat(changes["starts_at"])
            if "starts_at" in changes
            else series.starts_at
        )
    except ValueError as error:
        raise RuleViolation(str(error)) from None
    if starts_at.tzinfo is None:
        raise RuleViolation(
            gettext("starts_at needs a UTC offset, e.g. 2026-12-01T09:00:00+00:00.")
        )
    title = str(changes.get("title", series.title)).strip()
    if not title:
        raise RuleViolation(gettext("The title cannot be empty."))
    return TemplateFields(
        title=title,
        description=str(changes.get("description", series.description)),
        priority=priority,
        assignee_id=changes.get("assignee_id", series.assignee_id),
        rule=normalise_rule(changes["rule"]) if "rule" in changes else series.rule,
        starts_at=starts_at,
    )


def stop_series(series: RecurringSeries, now: datetime) -> None:
    """No more occurrences; the ones already made keep their history."""
    if series.stopped_at is None:
        series.stopped_at = now


def get_series_for_member(session: DbSession, series_id: int, user_id: int) -> RecurringSeries:
    """The series if `user_id` belongs to its project; NotFound otherwise."""
    series = session.scalar(
        select(RecurringSeries)
        .join(ProjectMember, ProjectMember.project_id == RecurringSeries.project_id)
        .where(RecurringSeries.id == series_id, ProjectMember.user_id == user_id)
        .options(joinedload(RecurringSeries.assignee), joinedload(RecurringSeries.project))
    )
    if series is None:
        raise NotFound(f"series {series_id}")  # i18n: internal
    return series


def series_of_project(session: DbSession, project_id: int) -> list[RecurringSeries]:
    return list(
        session.scalars(
            select(RecurringSeries)
            .where(RecurringSeries.project_id == project_id)
            .options(joinedload(RecurringSeries.assignee), joinedload(RecurringSeries.owner))
            .order_by(RecurringSeries.stopped_at.is_not(None), RecurringSeries.title)
        )
    )


def occurrences_of(session: DbSession, series_id: int, limit: int = 50) -> list[Task]:
    """The series' tasks, newest due first, archived ones included: its history."""
    return list(
        session.scalars(
            select(Task)
            .where(Task.series_id == series_id)
            .options(joinedload(Task.assignee))
            .order_by(Task.occurrence_at.desc())
            .limit(limit)
        )
    )


def can_manage(session: DbSession, series: RecurringSeries, user_id: int) -> bool:
    """The person who made a series and the project's owners may change or stop it."""
    return series.owner_id == user_id or is_owner(session, series.project, user_id)


def require_can_manage(session: DbSession, series: RecurringSeries, user_id: int) -> None:
    if not can_manage(session, series, user_id):
        raise Forbidden(gettext("Only the series' creator and the project's owners can change it."))
