"""Checklist progress for many tasks at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.checklists.models import ChecklistItem
from app.core.database import DbSession


@dataclass(frozen=True)
class ChecklistProgress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


def progress_for_tasks(session: DbSession, task_ids: Iterable[int]) -> dict[int, ChecklistProgress]:
    """Each task's done/total, in one statement; a task without a checklist is absent."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            ChecklistItem.task_id,
            func.count(ChecklistItem.done_at),
            func.count(),
        )
        .where(ChecklistItem.task_id.in_(ids))
        .group_by(ChecklistItem.task_id)
    )
    return {task_id: ChecklistProgress(done, total) for task_id, done, total in rows}
