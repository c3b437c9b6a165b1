"""A task's checklist: add, check, edit, move, remove items; offer to complete the task when
every item is done (completing goes through the task's one status rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from app.checklists.models import ChecklistItem
from app.checklists.queries import ChecklistProgress
from app.checklists.rules import (
    clean_text,
    moved_position,
    needs_renumbering,
    position_after,
    renumbered,
)
from app.core.database import DbSession
from app.core.errors import NotFound, RuleViolation
from app.projects.models import ProjectMember
from app.tasklist.models import Task, TaskStatus
from app.tasklist.service import set_status


@dataclass(frozen=True)
class Checklist:
    """A task's items in order, with its progress."""

    items: list[ChecklistItem]

    @property
    def progress(self) -> ChecklistProgress:
        return ChecklistProgress(sum(1 for item in self.items if item.is_done), len(self.items))


def items_of(session: DbSession, task_id: int) -> list[ChecklistItem]:
    return list(
        session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.task_id == task_id)
            .order_by(ChecklistItem.position, ChecklistItem.id)
        )
    )


def checklist_of(session: DbSession, task_id: int) -> Checklist:
    return Checklist(items_of(session, task_id))


def get_item_for_member(session: DbSession, item_id: int, user_id: int) -> ChecklistItem:
    """The item if `user_id` belongs to its task's project; NotFound otherwise."""
    item = session.scalar(
        select(ChecklistItem)
        .join(Task, Task.id == ChecklistItem.task_id)
        .join(ProjectMember, ProjectMember.project_id == Task.project_id)
        .where(ChecklistItem.id == item_id, ProjectMember.user_id == user_id)
    )
    if item is None:
        raise NotFound(f"checklist item {item_id}")  # i18n: internal
    return item


def _text(raw: str) -> str:
    try:
        return clean_text(raw)
    except ValueError as error:
        raise RuleViolation(str(error)) from None


def add_item(session: DbSession, task_id: int, text: str) -> ChecklistItem:
    """A new item at the end of the task's checklist; RuleViolation for bad text."""
    text = _text(text)
    positions = [item.position for item in items_of(session, task_id)]
    item = ChecklistItem(task_id=task_id, text=text, position=position_after(positions))
    session.add(item)
    session.flush()
    return item


def edit_text(session: DbSession, item: ChecklistItem, text: str) -> None:
    item.text = _text(text)
    session.flush()


def set_done(
    session: DbSession, item: ChecklistItem, done: bool, *, user_id: int, now: datetime
) -> ChecklistProgress:
    """Check or uncheck the item; the checklist's progress afterwards (all done: the page
    offers to complete the task, it never completes it by itself)."""
    if done and item.done_at is None:
        item.done_at, item.done_by_id = now, user_id
    elif not done:
        item.done_at, item.done_by_id = None, None
    session.flush()
    return checklist_of(session, item.task_id).progress


def move(session: DbSession, item: ChecklistItem, offset: int) -> bool:
    """Move the item `offset` places (-1 up, +1 down); False when it is already at that end.
    Only the moved item's position changes, unless its neighbours are too close (then the
    whole list is renumbered once)."""
    items = items_of(session, item.task_id)
    positions = [other.position for other in items]
    if needs_renumbering(positions):
        for other, position in zip(items, renumbered(len(items)), strict=True):
            other.position = position
        positions = [other.position for other in items]
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    new_position = moved_position(positions, index, offset)
    if new_position is None:
        return False
    item.position = new_position
    session.flush()
    return True


def remove(session: DbSession, item: ChecklistItem) -> None:
    session.delete(item)
    session.flush()


def complete_task(session: DbSession, task: Task, now: datetime, *, actor_id: int) -> bool:
    """Complete the task when its checklist is all done, through the one status rule
    (notifications, webhooks, history); RuleViolation when items are still open."""
    if not checklist_of(session, task.id).progress.complete:
        raise RuleViolation(gettext("Some checklist items are still open; check them first."))
    return set_status(session, task, TaskStatus.COMPLETED, now, actor_id=actor_id)
