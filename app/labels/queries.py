"""Reading labels for many tasks at once: one statement for a page, a board or a digest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.core.database import DbSession
from app.labels.colors import text_color_on
from app.labels.models import Label, task_labels


@dataclass(frozen=True)
class LabelView:
    """A label as pages and emails show it: its name, its color and the text color on it."""

    id: int
    name: str
    color: str

    @property
    def text_color(self) -> str:
        return text_color_on(self.color)


def labels_for_tasks(session: DbSession, task_ids: Iterable[int]) -> dict[int, list[LabelView]]:
    """Each task's labels by name (whatever the case), in one statement; a task without
    labels is absent."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(task_labels.c.task_id, Label.id, Label.name, Label.color)
        .join(Label, Label.id == task_labels.c.label_id)
        .where(task_labels.c.task_id.in_(ids))
        .order_by(task_labels.c.task_id, func.lower(Label.name), Label.id)
    )
    found: dict[int, list[LabelView]] = {}
    for task_id, label_id, name, color in rows:
        found.setdefault(task_id, []).append(LabelView(label_id, name, color))
    return found
