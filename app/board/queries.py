"""Reading a board: every column's first cards and its size in one statement, then their labels
and checklist progress in one statement each, whatever the number of cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from app.accounts.service import name_of
from app.checklists.queries import ChecklistProgress, progress_for_tasks
from app.core.database import DbSession
from app.labels.queries import LabelView, labels_for_tasks
from app.tasklist.models import Task, TaskPriority, TaskStatus, in_use
from app.tasklist.service import TaskFilters

# A column shows this many cards; the rest are a link to the list, filtered to that status.
CARDS_PER_COLUMN = 50


@dataclass(frozen=True)
class Card:
    """A task as a board card shows it."""

    id: int
    title: str
    status: TaskStatus
    priority: TaskPriority
    due_at: datetime | None
    assignee_name: str | None
    labels: list[LabelView] = field(default_factory=list)
    checklist: ChecklistProgress | None = None

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED


@dataclass
class Column:
    status: TaskStatus
    cards: list[Card]
    total: int  # the cards the filters match in this column, shown or not

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def column_order() -> list[Any]:
    """Within a column: placed cards by position, then the never-moved ones by due date."""
    return [
        Task.board_position.is_(None),
        Task.board_position,
        Task.due_at.is_(None),
        Task.due_at,
        Task.id,
    ]


def card_conditions(project_id: int, filters: TaskFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Task.project_id == project_id, in_use()]
    if filters.priorities:
        conditions.append(Task.priority.in_(filters.priorities))
    if filters.unassigned:
        conditions.append(Task.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        conditions.append(Task.assignee_id == filters.assignee_id)
    return conditions


def board_columns(
    session: DbSession,
    project_id: int,
    statuses: Sequence[TaskStatus],
    filters: TaskFilters,
    per_column: int = CARDS_PER_COLUMN,
) -> list[Column]:
    """The board's columns in order: each column's first `per_column` cards and its total,
    in three statements (cards, labels, checklist progress) however many tasks there are."""
    ranked = (
        select(
            Task.id,
            Task.title,
            Task.status,
            Task.priority,
            Task.due_at,
            name_of(Task.assignee_id).label("assignee_name"),
            func.row_number().over(partition_by=Task.status, order_by=column_order()).label("n"),
            func.count().over(partition_by=Task.status).label("total"),
        )
        .where(*card_conditions(project_id, filters), Task.status.in_(statuses))
        .subquery()
    )
    rows = session.execute(
        select(ranked).where(ranked.c.n <= per_column).order_by(ranked.c.status, ranked.c.n)
    ).all()
    ids = [row.id for row in rows]
    labels = labels_for_tasks(session, ids)
    progress = progress_for_tasks(session, ids)
    columns = {status: Column(status, [], 0) for status in statuses}
    for row in rows:
        column = columns[row.status]
        column.total = row.total
        column.cards.append(
            Card(
                row.id,
                row.title,
                row.status,
                row.priority,
                row.due_at,
                row.assignee_name,
                labels.get(row.id, []),
                progress.get(row.id),
            )
        )
    return list(columns.values())


def column_ids(session: DbSession, project_id: int, status: TaskStatus) -> list[int]:
    """Every card of a column top to bottom, filters aside: what a renumbering orders."""
    return list(
        session.scalars(
            select(Task.id)
            .where(Task.project_id == project_id, Task.status == status, in_use())
            .order_by(*column_order())
        )
    )
