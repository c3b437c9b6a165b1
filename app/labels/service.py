"""Labels of a project and of its tasks: create, rename, recolor, delete, and set on a task
(the one place a task's labels change, recorded as TaskLabelsChanged)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from app.core import events
from app.core.database import DbSession
from app.core.errors import NotFound, RuleViolation
from app.labels.colors import text_color_on
from app.labels.models import Label, task_labels
from app.labels.rules import LabelChange, clean_color, clean_name, is_taken, label_change
from app.projects.models import ProjectMember
from app.tasklist.models import Task, not_deleted


class LabelColorError(RuleViolation):
    """The color is not one a label can have (the form shows it by the color choice)."""


def _clean(name: str, color: str) -> tuple[str, str]:
    try:
        name = clean_name(name)
    except ValueError as error:
        raise RuleViolation(str(error)) from None
    try:
        return name, clean_color(color)
    except ValueError as error:
        raise LabelColorError(str(error)) from None


@dataclass(frozen=True)
class LabelWithCount:
    """A label on its project's Labels page: how many tasks (outside the Trash) carry it."""

    id: int
    name: str
    color: str
    task_count: int

    @property
    def text_color(self) -> str:
        return text_color_on(self.color)


def project_labels(session: DbSession, project_id: int) -> list[Label]:
    """The project's labels by name (case-insensitive), for forms and filters."""
    return list(
        session.scalars(
            select(Label)
            .where(Label.project_id == project_id)
            .order_by(func.lower(Label.name), Label.id)
        )
    )


def project_labels_with_counts(session: DbSession, project_id: int) -> list[LabelWithCount]:
    """The project's labels with their task counts, in one statement."""
    carried = (
        select(func.count())
        .select_from(task_labels)
        .join(Task, Task.id == task_labels.c.task_id)
        .where(task_labels.c.label_id == Label.id, not_deleted())
        .scalar_subquery()
    )
    rows = session.execute(
        select(Label.id, Label.name, Label.color, carried)
        .where(Label.project_id == project_id)
        .order_by(func.lower(Label.name), Label.id)
    )
    return [LabelWithCount(*row) for row in rows]


def get_label_for_member(session: DbSession, label_id: int, user_id: int) -> Label:
    """The label if `user_id` belongs to its project; NotFound otherwise (another team's
    label is not known to exist)."""
    label = session.scalar(
        select(Label)
        .join(ProjectMember, ProjectMember.project_id == Label.project_id)
        .where(Label.id == label_id, ProjectMember.user_id == user_id)
    )
    if label is None:
        raise NotFound(f"label {label_id}")  # i18n: internal
    return label


def _check_name_free(session: DbSession, project_id: int, name: str, label_id: int | None) -> None:
    others = session.scalars(
        select(Label.name).where(
            Label.project_id == project_id,
            func.lower(Label.name) == name.lower(),
            Label.id != (label_id or 0),
        )
    ).all()
    if is_taken(name, others):
        raise RuleViolation(
            gettext("This project already has a label named “%(name)s”.", name=name)
        )


def create_label(session: DbSession, project_id: int, name: str, color: str) -> Label:
    """A new label; RuleViolation (for the person) if the name is bad or taken,
    LabelColorError if the color is not #rrggbb."""
    name, color = _clean(name, color)
    _check_name_free(session, project_id, name, None)
    label = Label(project_id=project_id, name=name, color=color)
    session.add(label)
    _flush_name(session, name)
    return label


def update_label(session: DbSession, label: Label, name: str, color: str) -> None:
    """Rename and recolor; every task carrying it shows the new name and color at once (the
    tasks point at the label, they hold no copy)."""
    name, color = _clean(name, color)
    _check_name_free(session, label.project_id, name, label.id)
    label.name, label.color = name, color
    _flush_name(session, name)


def _flush_name(session: DbSession, name: str) -> None:
    """Write the label; the unique index settles a race the check above could not see (two
    people naming a label alike at once). The transaction holds nothing else then: undo it."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise RuleViolation(
            gettext("This project already has a label named “%(name)s”.", name=name)
        ) from None


def tasks_carrying(session: DbSession, label_id: int) -> int:
    """How many tasks (outside the Trash) carry the label: what deleting it asks about."""
    return (
        session.scalar(
            select(func.count())
            .select_from(task_labels)
            .join(Task, Task.id == task_labels.c.task_id)
            .where(task_labels.c.label_id == label_id, not_deleted())
        )
        or 0
    )


def delete_label(session: DbSession, label: Label) -> None:
    """Delete the label and take it off every task (the join rows go with it)."""
    session.execute(delete(task_labels).where(task_labels.c.label_id == label.id))
    session.delete(label)
    session.flush()


def _labels_on(session: DbSession, task_id: int) -> dict[int, str]:
    rows = session.execute(
        select(Label.id, Label.name)
        .join(task_labels, task_labels.c.label_id == Label.id)
        .where(task_labels.c.task_id == task_id)
    )
    return {label_id: name for label_id, name in rows}


def _names_in_project(session: DbSession, project_id: int, ids: set[int]) -> dict[int, str]:
    rows = session.execute(
        select(Label.id, Label.name).where(Label.id.in_(ids), Label.project_id == project_id)
    )
    return {label_id: name for label_id, name in rows}


def set_task_labels(
    session: DbSession, task: Task, label_ids: Iterable[int], *, actor_id: int | None
) -> LabelChange:
    """Give the task exactly these labels of its project; records TaskLabelsChanged with the
    names added and removed (nothing when nothing changed). RuleViolation for a label of
    another project, so nothing is half-stored."""
    wanted_ids = set(label_ids)
    wanted = _names_in_project(session, task.project_id, wanted_ids) if wanted_ids else {}
    if len(wanted) != len(wanted_ids):
        raise RuleViolation(gettext("Choose labels of this task's project."))
    before = _labels_on(session, task.id)
    change = label_change(before, wanted)
    if not change:
        return change
    gone = before.keys() - wanted.keys()
    if gone:
        session.execute(
            delete(task_labels).where(
                task_labels.c.task_id == task.id, task_labels.c.label_id.in_(gone)
            )
        )
    new = wanted.keys() - before.keys()
    if new:
        session.execute(
            insert(task_labels), [{"task_id": task.id, "label_id": i} for i in sorted(new)]
        )
    events.record(
        session,
        events.TaskLabelsChanged(
            task.id, task.project_id, actor_id, added=change.added, removed=change.removed
        ),
    )
    return change
