"""Recurring occurrences: which are due, and turning them into tasks exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update

from app.core.database import DbSession, UTCDateTime
from app.core.inserts import insert_ignoring_duplicates
from app.projects.models import Project, ProjectMember
from app.recurring.models import RecurringSeries
from app.recurring.rules import broken_rule_reason, occurrences_between
from app.recurring.service import schedule_of
from app.tasklist.models import Task, TaskStatus
from app.webhooks import service as webhooks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occurrence:
    """One task to create: a series and the due moment it is for."""

    series_id: int
    due_at: datetime


@dataclass(frozen=True)
class RunResult:
    created: list[int]
    series_checked: int
    # Series stopped because their rule can never give a date: {id: reason}.
    stopped: dict[int, str] = field(default_factory=dict)


def create_due(session: DbSession, now: datetime, ahead: timedelta, catch_up: int) -> RunResult:
    """Create every occurrence due by now + ahead, missed ones included, each exactly once.

    Three queries plus one insert and one update, however many series there are; one more
    update when a series' rule turns out never to give a date (it is stopped, not retried)."""
    horizon = now + ahead
    series_list = active_series_due_by(session, horizon)
    due = due_occurrences(series_list, horizon, catch_up)
    stopped = broken_series(series_list, due)
    stop_series(session, stopped, now)
    return RunResult(create_occurrences(session, series_list, due, now), len(series_list), stopped)


def broken_series(series_list: list[RecurringSeries], due: list[Occurrence]) -> dict[int, str]:
    """Of the series with nothing due, those whose rule never gives a date, and why (pure)."""
    with_dates = {item.series_id for item in due}
    reasons = {
        series.id: broken_rule_reason(schedule_of(series))
        for series in series_list
        if series.id not in with_dates
    }
    return {series_id: reason for series_id, reason in reasons.items() if reason}


def stop_series(session: DbSession, reasons: dict[int, str], now: datetime) -> None:
    for series_id, reason in reasons.items():
        log.warning("recurring series %s stopped: %s", series_id, reason)
    if reasons:
        session.execute(
            update(RecurringSeries)
            .where(RecurringSeries.id.in_(reasons), RecurringSeries.stopped_at.is_(None))
            .values(stopped_at=now)
        )


def due_occurrences(
    series_list: list[RecurringSeries], horizon: datetime, per_series_limit: int
) -> list[Occurrence]:
    """Every occurrence each series owes up to `horizon`, missed ones included (pure)."""
    due: list[Occurrence] = []
    for series in series_list:
        moments = occurrences_between(
            schedule_of(series), series.created_through, horizon, per_series_limit
        )
        due.extend(Occurrence(series.id, moment) for moment in moments)
    return due


def active_series_due_by(session: DbSession, horizon: datetime) -> list[RecurringSeries]:
    return list(
        session.scalars(
            select(RecurringSeries).where(
                RecurringSeries.stopped_at.is_(None),
                # A deleted project makes nothing new; it catches up if its owner restores it.
                RecurringSeries.project_id.not_in(
                    select(Project.id).where(Project.deleted_at.is_not(None))
                ),
                or_(
                    RecurringSeries.created_through.is_(None),
                    RecurringSeries.created_through < horizon,
                ),
            )
        )
    )


def create_occurrences(
    session: DbSession, series_list: list[RecurringSeries], due: list[Occurrence], now: datetime
) -> list[int]:
    """Insert one task per occurrence; ones another run made already are skipped by the key.

    Returns the ids of the tasks this call created."""
    if not due:
        return []
    by_id = {series.id: series for series in series_list}
    members = _memberships(session, {series.project_id for series in series_list})
    rows = [_task_row(by_id[item.series_id], item.due_at, members, now) for item in due]
    statement = insert_ignoring_duplicates(session, Task, ["series_id", "occurrence_at"])
    created = list(session.scalars(statement.returning(Task.id), rows))
    _advance_watermarks(session, due)
    webhooks.record_tasks_created(session, created)
    return created


def _memberships(session: DbSession, project_ids: set[int]) -> set[tuple[int, int]]:
    rows = session.execute(
        select(ProjectMember.project_id, ProjectMember.user_id).where(
            ProjectMember.project_id.in_(project_ids)
        )
    )
    return {(project_id, user_id) for project_id, user_id in rows}


def _task_row(
    series: RecurringSeries, due_at: datetime, members: set[tuple[int, int]], now: datetime
) -> dict[str, object]:
    # Someone who left the project no longer gets its chores.
    assignee = series.assignee_id if (series.project_id, series.assignee_id) in members else None
    return {
        "title": series.title,
        "description": series.description,
        "project_id": series.project_id,
        "creator_id": series.owner_id,
        "assignee_id": assignee,
        "priority": series.priority,
        "status": TaskStatus.PENDING,
        "due_at": due_at,
        "series_id": series.id,
        "occurrence_at": due_at,
        "created_at": now,
        "updated_at": now,
    }


def _advance_watermarks(session: DbSession, due: list[Occurrence]) -> None:
    latest: dict[int, datetime] = {}
    for item in due:
        latest[item.series_id] = max(item.due_at, latest.get(item.series_id, item.due_at))
    table = RecurringSeries.__table__
    through = bindparam("through", type_=UTCDateTime())
    # Only forward, in one executemany: a slower concurrent run must not move a series back.
    session.connection().execute(
        update(table)
        .where(
            table.c.id == bindparam("series_id"),
            or_(table.c.created_through.is_(None), table.c.created_through < through),
        )
        .values(created_through=through),
        [{"series_id": sid, "through": moment} for sid, moment in latest.items()],
    )
