"""Tasks: who may see them, how lists are filtered, and how their status changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext, lazy_gettext
from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.service import name_of
from app.core.database import DbSession, utcnow
from app.core.errors import NotFound, RuleViolation
from app.core.paging import PageLinks, page_within
from app.labels.models import task_labels
from app.projects.models import Project, ProjectMember
from app.projects.service import membership
from app.tasklist.changes import record_changes, record_created, snapshot
from app.tasklist.models import Task, TaskPriority, TaskStatus, in_use, not_deleted

SORTS = {
    "due": lazy_gettext("Due date (soonest first)"),
    "-due": lazy_gettext("Due date (latest first)"),
    "priority": lazy_gettext("Priority (critical first)"),
    "created": lazy_gettext("Newest first"),
}
PRIORITY_RANK = {
    TaskPriority.CRITICAL: 0,
    TaskPriority.HIGH: 1,
    TaskPriority.MEDIUM: 2,
    TaskPriority.LOW: 3,
}


@dataclass(frozen=True)
class TaskFilters:
    """What a task list shows; built from query parameters, unknown values already dropped."""

    statuses: tuple[TaskStatus, ...] = ()
    priorities: tuple[TaskPriority, ...] = ()
    assignee_id: int | None = None
    unassigned: bool = False
    sort: str = "due"
    # Tasks carrying any of these labels (a label of another project matches nothing here).
    label_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class TaskRow:
    """A task as a list shows it: its own columns and the assignee's name, no ORM object
    (a page of them is a quarter of what loading Task and User objects costs)."""

    id: int
    title: str
    status: TaskStatus
    priority: TaskPriority
    due_at: datetime | None
    assignee_name: str | None = None
    project_name: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED


@dataclass
class TaskPage(PageLinks):
    items: list[TaskRow]
    page: int
    pages: int
    total: int
    per_page: int
    counts_by_status: dict[TaskStatus, int] = field(default_factory=dict)


def parse_status(value: str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        known = ", ".join(status.value for status in TaskStatus)
        raise RuleViolation(
            gettext(
                "%(value)s is not a task status; use one of %(known)s.",
                value=repr(value),
                known=known,
            )
        ) from None


def visible_tasks() -> Select[Task]:
    """Tasks that still belong in lists: archived ones live in the archive, deleted ones in
    the Trash."""
    return select(Task).where(in_use())


def get_task_for_member(
    session: DbSession, task_id: int, user_id: int, *, include_trash: bool = False
) -> Task:
    """The task if `user_id` is a member of its project; NotFound otherwise, and for a task
    of a deleted project; a task in the Trash only with `include_trash` (the Trash's pages)."""
    conditions = [
        Task.id == task_id,
        ProjectMember.user_id == user_id,
        Project.deleted_at.is_(None),
    ]
    if not include_trash:
        conditions.append(not_deleted())
    task = session.scalar(
        select(Task)
        .join(ProjectMember, ProjectMember.project_id == Task.project_id)
        .join(Project, Project.id == Task.project_id)
        .where(*conditions)
        .options(joinedload(Task.project), joinedload(Task.assignee), joinedload(Task.creator))
    )
    if task is None:
        raise NotFound(f"task {task_id}")  # i18n: internal
    return task


def filter_conditions(filters: TaskFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.statuses:
        conditions.append(Task.status.in_(filters.statuses))
    if filters.priorities:
        conditions.append(Task.priority.in_(filters.priorities))
    if filters.unassigned:
        conditions.append(Task.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        conditions.append(Task.assignee_id == filters.assignee_id)
    if filters.label_ids:
        labelled = select(task_labels.c.task_id).where(
            task_labels.c.label_id.in_(filters.label_ids)
        )
        conditions.append(Task.id.in_(labelled))
    return conditions


def apply_filters(query: Select, filters: TaskFilters) -> Select:
    return query.where(*filter_conditions(filters))


def apply_sort(query: Select, sort: str) -> Select:
    """Open tasks first whatever the sort (peers hide finished work below the open work), then
    the chosen order; in SQL, so a page stays one statement."""
    open_first = query.order_by(Task.status == TaskStatus.COMPLETED)
    if sort == "-due":
        return open_first.order_by(Task.due_at.is_(None), Task.due_at.desc(), Task.id)
    if sort == "priority":
        rank = case(PRIORITY_RANK, value=Task.priority)
        return open_first.order_by(rank, Task.due_at.is_(None), Task.due_at, Task.id)
    if sort == "created":
        return open_first.order_by(Task.created_at.desc(), Task.id.desc())
    return open_first.order_by(Task.due_at.is_(None), Task.due_at, Task.id)


def project_task_page(
    session: DbSession, project_id: int, filters: TaskFilters, page: int, per_page: int
) -> TaskPage:
    """One page of a project's tasks in two statements whatever the page size: the counts
    (by status, and of the tasks the filters match), then the page's rows."""
    conditions = filter_conditions(filters)
    matching = func.count().filter(and_(*conditions)) if conditions else func.count()
    counted = session.execute(
        select(Task.status, func.count(), matching)
        .where(Task.project_id == project_id, in_use())
        .group_by(Task.status)
    ).all()
    counts = {status: in_status for status, in_status, _ in counted}
    total = sum(matched for _, _, matched in counted)
    page, pages = page_within(page, total, per_page)
    rows = session.execute(task_rows_statement(project_id, filters, page, per_page))
    return TaskPage([TaskRow(*row) for row in rows], page, pages, total, per_page, counts)


def task_rows_statement(project_id: int, filters: TaskFilters, page: int, per_page: int) -> Select:
    """A page of a project's task list: TaskRow's columns, the assignee's name looked up by
    key for the kept rows only (see name_of)."""
    query = select(
        Task.id, Task.title, Task.status, Task.priority, Task.due_at, name_of(Task.assignee_id)
    ).where(Task.project_id == project_id, in_use(), *filter_conditions(filters))
    return apply_sort(query, filters.sort).limit(per_page).offset((page - 1) * per_page)


def open_tasks_assigned_to(session: DbSession, user_id: int) -> list[TaskRow]:
    """The person's open tasks by due date, each with its project's name (looked up by key,
    as name_of does for people: a join hashed every project)."""
    project_name = select(Project.name).where(Project.id == Task.project_id).scalar_subquery()
    rows = session.execute(
        select(Task.id, Task.title, Task.status, Task.priority, Task.due_at, project_name)
        .where(
            Task.assignee_id == user_id,
            Task.status != TaskStatus.COMPLETED,
            in_use(),
        )
        .order_by(Task.due_at.is_(None), Task.due_at, Task.id)
    )
    return [
        TaskRow(id_, title, status, priority, due_at, project_name=project_name)
        for id_, title, status, priority, due_at, project_name in rows
    ]


def status_counts_for_assignee(session: DbSession, user_id: int) -> dict[TaskStatus, int]:
    rows = session.execute(
        select(Task.status, func.count())
        .where(Task.assignee_id == user_id, in_use())
        .group_by(Task.status)
    ).all()
    counts = {status: 0 for status in TaskStatus}
    counts.update(dict(rows))
    return counts


def check_assignee(session: DbSession, project_id: int, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    if membership(session, project_id, assignee_id) is None:
        raise RuleViolation(gettext("Tasks can only be assigned to members of the project."))


@dataclass(frozen=True)
class TaskFields:
    """The values a person edits on a task, already validated by the form."""

    title: str
    description: str
    status: TaskStatus
    priority: TaskPriority
    due_at: datetime | None
    assignee_id: int | None


def create_task(session: DbSession, *, project_id: int, creator: User, fields: TaskFields) -> Task:
    """A new task in the project; records TaskCreated (and TaskAssigned) in this transaction."""
    check_assignee(session, project_id, fields.assignee_id)
    task = Task(project_id=project_id, creator_id=creator.id)
    _write_fields(task, fields, now=utcnow())
    session.add(task)
    session.flush()
    record_created(session, task, actor_id=creator.id)
    return task


def update_task(
    session: DbSession, task: Task, fields: TaskFields, *, actor_id: int | None = None
) -> None:
    """Write the edited fields; records what changed (TaskChanged, TaskAssigned,
    TaskStatusChanged) as done by `actor_id`, in this transaction."""
    check_assignee(session, task.project_id, fields.assignee_id)
    before = snapshot(task)
    _write_fields(task, fields, now=utcnow())
    record_changes(session, task, before, actor_id)


def _write_fields(task: Task, fields: TaskFields, now: datetime) -> None:
    task.title = fields.title.strip()
    task.description = fields.description.strip()
    task.priority = fields.priority
    task.due_at = fields.due_at
    task.assignee_id = fields.assignee_id
    apply_status(task, fields.status, now)


def apply_status(task: Task, status: TaskStatus, now: datetime) -> bool:
    """Set the status and keep completed_at true to it; False when nothing changed."""
    if task.status == status:
        return False
    task.status = status
    task.completed_at = now if status == TaskStatus.COMPLETED else None
    return True


@dataclass(frozen=True)
class StatusChange:
    task_id: int
    old_status: str | None
    new_status: str
    changed: bool


def set_status(
    session: DbSession, task: Task, status: TaskStatus, now: datetime, *, actor_id: int | None
) -> bool:
    """Move the task to `status`, the one place a status change is announced (recorded as
    TaskChanged and TaskStatusChanged); False when it already had it."""
    before = snapshot(task)
    changed = apply_status(task, status, now)
    record_changes(session, task, before, actor_id)
    return changed


def change_status(
    session: DbSession, task_id: int, new_status: str, now: datetime, *, actor_id: int | None = None
) -> StatusChange:
    """Move a task to `new_status`; NotFound if it is gone or in the Trash (a completion queued
    just before a delete does not change a deleted task), RuleViolation for an unknown status."""
    status = parse_status(new_status)
    task = session.get(Task, task_id)
    if task is None or task.is_deleted:
        raise NotFound(f"task {task_id}")  # i18n: internal
    old = task.status
    changed = set_status(session, task, status, now, actor_id=actor_id)
    return StatusChange(task_id, old.value if old else None, status.value, changed)


def move_due_date(
    session: DbSession, task: Task, due_at: datetime, *, actor_id: int | None
) -> None:
    """Give the task a new due date and nothing else, through update_task: the same assignee
    check and the same recorded events (TaskChanged: notifications, webhooks, history)."""
    fields = TaskFields(
        title=task.title,
        description=task.description,
        status=task.status,
        priority=task.priority,
        due_at=due_at,
        assignee_id=task.assignee_id,
    )
    update_task(session, task, fields, actor_id=actor_id)
