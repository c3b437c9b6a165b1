"""Cursors over a project's task list in the web's sort orders (app.tasklist.service.apply_sort):
the cursor carries the last task's sort key and id, and the next page starts strictly after it,
so pages never repeat or skip a task even when tasks are added meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, and_, case, false, func, literal, or_
from sqlalchemy.orm import InstrumentedAttribute

from app.tasklist.models import Task, TaskStatus
from app.tasklist.service import PRIORITY_RANK

# Stands in for a missing due date inside a key: the "no due date" flag before it already
# orders those tasks, so any fixed value keeps comparisons exact (NULL never compares).
NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Key:
    """One part of a sort key: its SQL, its value on a loaded task, its JSON round trip."""

    column: Callable[[], ColumnElement[Any] | InstrumentedAttribute[Any]]
    value: Callable[[Task], Any]
    descending: bool = False
    is_date: bool = False


COMPLETED_LAST = Key(
    lambda: Task.status == TaskStatus.COMPLETED, lambda t: t.status == TaskStatus.COMPLETED
)
NO_DUE_LAST = Key(lambda: Task.due_at.is_(None), lambda t: t.due_at is None)
DUE = Key(lambda: func.coalesce(Task.due_at, NO_DATE), lambda t: t.due_at or NO_DATE, is_date=True)
DUE_DESC = Key(DUE.column, DUE.value, descending=True, is_date=True)
RANK = Key(lambda: case(PRIORITY_RANK, value=Task.priority), lambda t: PRIORITY_RANK[t.priority])
CREATED_DESC = Key(lambda: Task.created_at, lambda t: t.created_at, descending=True, is_date=True)
ID = Key(lambda: Task.id, lambda t: t.id)
ID_DESC = Key(lambda: Task.id, lambda t: t.id, descending=True)

# The same orders as apply_sort, key by key (a test pins that they agree).
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "due": (COMPLETED_LAST, NO_DUE_LAST, DUE, ID),
    "-due": (COMPLETED_LAST, NO_DUE_LAST, DUE_DESC, ID),
    "priority": (COMPLETED_LAST, RANK, NO_DUE_LAST, DUE, ID),
    "created": (COMPLETED_LAST, CREATED_DESC, ID_DESC),
}


def cursor_values(task: Task, sort: str) -> list[Any]:
    """The cursor's values for the last task of a page (JSON-ready)."""
    return [
        key.value(task).isoformat() if key.is_date else key.value(task) for key in SORT_KEYS[sort]
    ]


def _loaded(key: Key, value: Any) -> Any:
    """A cursor value back to what its column compares with; ValueError when it cannot be."""
    if key.is_date:
        moment = datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            raise ValueError("naive date in cursor")  # i18n: internal
        return moment
    if isinstance(value, bool):
        # A bound value, not Python's True: SQLAlchemy allows only = and IS with the latter.
        return literal(value, Boolean())
    if isinstance(value, int):
        return value
    raise ValueError("unexpected value in cursor")  # i18n: internal


def after_cursor(sort: str, values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in this sort: (k0 > v0) or (k0 = v0 and k1 > v1) or ...,
    with < for descending keys."""
    keys = SORT_KEYS[sort]
    try:
        loaded = [_loaded(key, value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError):
        return false()  # a tampered cursor: the caller checks shapes first; nothing matches
    alternatives = []
    for index, key in enumerate(keys):
        equal = [keys[i].column() == loaded[i] for i in range(index)]
        column = key.column()
        beyond = column < loaded[index] if key.descending else column > loaded[index]
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)


def valid_values(sort: str, values: list[Any]) -> bool:
    """Whether a decoded cursor's values fit this sort's keys (so a bad cursor is a 422)."""
    try:
        for key, value in zip(SORT_KEYS[sort], values, strict=True):
            _loaded(key, value)
    except (ValueError, TypeError):
        return False
    return True
