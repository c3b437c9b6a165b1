"""Moving a card: its place in a column (Task.board_position) and its status, through the one
status rule every other change uses (notifications, webhooks and history follow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.board.queries import column_ids, column_order
from app.board.rules import position_between, renumbered
from app.core.database import DbSession
from app.tasklist.models import Task, TaskStatus, in_use
from app.tasklist.service import set_status


@dataclass(frozen=True)
class Move:
    """Where a person put a card: its column, and the cards now above and below it (None at
    the top or bottom; ids that are no longer there are ignored)."""

    status: TaskStatus
    above_id: int | None = None
    below_id: int | None = None


@dataclass(frozen=True)
class MoveResult:
    status_changed: bool
    renumbered: bool


def move_card(
    session: DbSession, task: Task, move: Move, now: datetime, *, actor_id: int
) -> MoveResult:
    """Put `task` at its new place (no neighbours named: the column's top), then give it the
    column's status through `set_status`."""
    if move.above_id is None and move.below_id is None:
        move = Move(move.status, None, _top_of_column(session, task, move.status))
    above, below = _neighbour_positions(session, task, move)
    position = None
    if above is not _MISSING_POSITION and below is not _MISSING_POSITION:
        position = position_between(above, below)
    renumbering = position is None
    if renumbering:
        _renumber_with(session, task, move)
    else:
        task.board_position = position
    changed = set_status(session, task, move.status, now, actor_id=actor_id)
    return MoveResult(changed, renumbering)


def _top_of_column(session: DbSession, task: Task, status: TaskStatus) -> int | None:
    return session.scalar(
        select(Task.id)
        .where(
            Task.project_id == task.project_id, Task.status == status, Task.id != task.id, in_use()
        )
        .order_by(*column_order())
        .limit(1)
    )


# A neighbour that was never placed: the column has no positions to go between yet.
_MISSING_POSITION = float("nan")


def _neighbour_positions(
    session: DbSession, task: Task, move: Move
) -> tuple[float | None, float | None]:
    """The positions of the named neighbours that are still in the target column, in one
    statement; a neighbour that has gone counts as the column's end."""
    wanted = {i for i in (move.above_id, move.below_id) if i is not None and i != task.id}
    found: dict[int, float | None] = {}
    if wanted:
        rows = session.execute(
            select(Task.id, Task.board_position).where(
                Task.id.in_(wanted),
                Task.project_id == task.project_id,
                Task.status == move.status,
                in_use(),
            )
        )
        found = {row_id: position for row_id, position in rows}

    def position_of(card_id: int | None) -> float | None:
        if card_id is None or card_id not in found:
            return None
        position = found[card_id]
        return _MISSING_POSITION if position is None else position

    return position_of(move.above_id), position_of(move.below_id)


def _renumber_with(session: DbSession, task: Task, move: Move) -> None:
    """Space the whole target column evenly with the card at its new place: one read of the
    column, one UPDATE for all its cards."""
    column = column_ids(session, task.project_id, move.status)
    others = [card for card in column if card != task.id]
    if move.above_id in others:
        index = others.index(move.above_id) + 1
    elif move.below_id in others:
        index = others.index(move.below_id)
    else:
        index = 0
    positions = renumbered(others, task.id, index)
    task.board_position = positions.pop(task.id)
    if positions:
        session.execute(
            update(Task),
            [{"id": card, "board_position": value} for card, value in positions.items()],
        )
