"""Pure rules of the board: the order of cards within a column, and which column is which."""

from __future__ import annotations

from collections.abc import Sequence

from app.tasklist.models import TaskStatus

# The columns, left to right: the work's path, with blocked beside it and done at the end.
COLUMN_ORDER = (
    TaskStatus.PENDING,
    TaskStatus.IN_PROGRESS,
    TaskStatus.BLOCKED,
    TaskStatus.COMPLETED,
)
# The distance between neighbours after a renumbering: room for about forty moves into the
# same gap before halving it runs into a float's precision.
POSITION_STEP = 1024.0
# Below this two neighbours are "touching": the column is renumbered instead.
MIN_GAP = 1e-6


def position_between(above: float | None, below: float | None) -> float | None:
    """A position for a card placed between `above` and `below` (None: the column's top or
    bottom, or an empty column); None when no gap is left and the column must be renumbered."""
    if above is None and below is None:
        return POSITION_STEP
    if above is None:
        assert below is not None
        return below - POSITION_STEP
    if below is None:
        return above + POSITION_STEP
    if below - above <= MIN_GAP:
        return None
    return (above + below) / 2


def renumbered(column: Sequence[int], moved: int, index: int) -> dict[int, float]:
    """New positions for a whole column (ids top to bottom, `moved` not among them) with the
    moved card put at `index`: evenly spaced, so every gap is open again."""
    order = [card for card in column if card != moved]
    order.insert(max(0, min(index, len(order))), moved)
    return {card: (n + 1) * POSITION_STEP for n, card in enumerate(order)}


def neighbours(column: Sequence[int], card: int, offset: int) -> tuple[int | None, int | None]:
    """The cards that would be above and below `card` after moving it `offset` places in its
    column (-1 up, +1 down), as the no-script buttons send them; None at an end."""
    order = [other for other in column if other != card]
    index = column.index(card) + offset
    index = max(0, min(index, len(order)))
    above = order[index - 1] if index > 0 else None
    below = order[index] if index < len(order) else None
    return above, below


def shown_columns(chosen: Sequence[TaskStatus]) -> tuple[TaskStatus, ...]:
    """The columns a board shows: those the status filter chose (in board order), else all."""
    if not chosen:
        return COLUMN_ORDER
    return tuple(status for status in COLUMN_ORDER if status in chosen)
