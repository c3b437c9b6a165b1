"""Reading a task's history: its latest rows for the task's page, and numbered pages of all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from app.core.database import DbSession
from app.core.paging import PageLinks, page_within
from app.history import rules
from app.history.models import TaskActivity


@dataclass(frozen=True)
class HistoryLine:
    """One row as the page shows it: the sentence and when it happened."""

    text: str
    at: datetime
    comment_id: int | None


@dataclass(frozen=True)
class LatestHistory:
    lines: list[HistoryLine]
    has_more: bool


@dataclass(frozen=True)
class HistoryPage(PageLinks):
    lines: list[HistoryLine]
    page: int
    pages: int
    total: int


def newest_first(task_id: int) -> Select[TaskActivity]:
    return (
        select(TaskActivity)
        .where(TaskActivity.task_id == task_id)
        # Newest change first; the fields of one edit (one moment) in their reading order.
        .order_by(TaskActivity.created_at.desc(), TaskActivity.id)
    )


def as_line(row: TaskActivity, timezone: str) -> HistoryLine:
    comment_id = row.new_id if row.kind == rules.COMMENTED else None
    return HistoryLine(rules.sentence(row, timezone), row.created_at, comment_id)


def latest_history(session: DbSession, task_id: int, limit: int, timezone: str) -> LatestHistory:
    """The newest `limit` lines, and whether there are older ones: one statement."""
    rows = list(session.scalars(newest_first(task_id).limit(limit + 1)))
    return LatestHistory([as_line(row, timezone) for row in rows[:limit]], len(rows) > limit)


def history_page(
    session: DbSession, task_id: int, page: int, per_page: int, timezone: str
) -> HistoryPage:
    """One numbered page of every line, newest first: two statements."""
    total = session.scalar(
        select(func.count()).select_from(TaskActivity).where(TaskActivity.task_id == task_id)
    )
    page, pages = page_within(page, total or 0, per_page)
    rows = session.scalars(newest_first(task_id).offset((page - 1) * per_page).limit(per_page))
    return HistoryPage([as_line(row, timezone) for row in rows], page, pages, total or 0)
