"""The daily task report: counts by status, priority and project, overdue, completed yesterday."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select

from app.accounts.service import undeliverable_people
from app.core.database import DbSession
from app.core.timezones import to_local
from app.digests.models import Report
from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus, in_use

REPORT_KIND = "daily"


def compute_daily_report(session: DbSession, now: datetime, timezone: str) -> dict[str, Any]:
    """Every figure of the report, in three grouped statements whatever the number of tasks,
    and the addresses that bounce (one more)."""
    today = to_local(now, timezone).replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    is_open = Task.status != TaskStatus.COMPLETED
    visible = in_use()
    by_status_priority = session.execute(
        select(Task.status, Task.priority, func.count())
        .where(visible)
        .group_by(Task.status, Task.priority)
    ).all()
    totals = session.execute(
        select(
            func.count().filter(is_open, Task.due_at < now),
            func.count().filter(Task.completed_at >= yesterday, Task.completed_at < today),
        ).where(visible)
    ).one()
    by_project = session.execute(
        select(
            Project.name,
            func.count(Task.id),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((is_open & (Task.due_at < now), 1), else_=0)),
        )
        .join(Task, (Task.project_id == Project.id) & visible)
        .group_by(Project.id, Project.name)
        .order_by(Project.name)
    ).all()
    report = shape_report(by_status_priority, totals, by_project, yesterday.date())
    report["bouncing"] = [
        {
            "name": user.name,
            "email": user.email,
            "since": to_local(user.email_undeliverable_at, timezone).date().isoformat(),
            "reason": user.email_undeliverable_reason or "",
        }
        for user in undeliverable_people(session)
        if user.email_undeliverable_at is not None
    ]
    return report


def shape_report(
    by_status_priority: Sequence, totals: tuple, by_project: Sequence, yesterday: date
) -> dict[str, Any]:
    """Plain JSON-ready numbers from the grouped rows."""
    by_status: dict[str, int] = {status.value: 0 for status in TaskStatus}
    by_priority: dict[str, int] = {}
    for status, priority, count in by_status_priority:
        by_status[status.value] += count
        if status != TaskStatus.COMPLETED:
            by_priority[priority.value] = by_priority.get(priority.value, 0) + count
    overdue, completed_yesterday = totals
    return {
        "total": sum(by_status.values()),
        "open": sum(count for status, count in by_status.items() if status != "completed"),
        "by_status": by_status,
        "open_by_priority": {
            p: by_priority.get(p, 0) for p in ("critical", "high", "medium", "low")
        },
        "overdue": overdue or 0,
        "completed_yesterday": completed_yesterday or 0,
        "yesterday": yesterday.isoformat(),
        "by_project": [
            {"project": name, "total": total, "open": int(open_ or 0), "overdue": int(late or 0)}
            for name, total, open_, late in by_project
        ],
    }


def store_report(session: DbSession, period: date, data: dict[str, Any], now: datetime) -> Report:
    """Keep one report per day; running the job again that day refreshes it."""
    report = session.scalar(
        select(Report).where(Report.kind == REPORT_KIND, Report.period == period)
    )
    if report is None:
        report = Report(kind=REPORT_KIND, period=period)
        session.add(report)
    report.data = data
    report.generated_at = now
    session.flush()
    return report


def latest_report(session: DbSession, period: str | None = None) -> Report | None:
    query = select(Report).where(Report.kind == REPORT_KIND)
    if period:
        query = query.where(Report.period == date.fromisoformat(period))
    return session.scalar(query.order_by(Report.period.desc()).limit(1))


def recent_reports(session: DbSession, limit: int = 30) -> list[Report]:
    return list(
        session.scalars(
            select(Report)
            .where(Report.kind == REPORT_KIND)
            .order_by(Report.period.desc())
            .limit(limit)
        )
    )


# The overdue job logs this many lines at most: at 100,000 people a line per overdue task was
# 200,000 lines and most of the job's time (docs/PERFORMANCE.md), and no one reads past a page.
OVERDUE_LISTED = 100


def overdue_listing(
    session: DbSession, now: datetime, limit: int = OVERDUE_LISTED
) -> tuple[list[str], int]:
    """One line per overdue open task, the longest overdue first, at most `limit` of them; and
    how many there are in all. Two statements."""
    overdue = (
        Task.status != TaskStatus.COMPLETED,
        in_use(),
        Task.due_at < now,
    )
    rows = session.execute(
        select(Task.id, Task.title, Task.due_at, Task.assignee_id)
        .where(*overdue)
        .order_by(Task.due_at, Task.id)
        .limit(limit)
    )
    lines = [
        f"task {task_id} (assignee {assignee}) due {due:%Y-%m-%d %H:%M} UTC: {title!r}"
        for task_id, title, due, assignee in rows
    ]
    total = session.scalar(select(func.count()).select_from(Task).where(*overdue)) or 0
    return lines, total
