"""Reading what calendars show: tasks due in a range (a project's, or a person's), and a feed's
tasks with the person's reminders, each in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, select

from app.accounts.models import User
from app.calendars.models import CalendarFeed
from app.core.database import DbSession
from app.labels.queries import LabelView, labels_for_tasks
from app.projects.models import Project, ProjectMember
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskPriority, TaskStatus, in_use


@dataclass
class CalendarTask:
    """A task as a calendar or a feed shows it: its columns, its project's name, its labels."""

    id: int
    title: str
    status: TaskStatus
    priority: TaskPriority
    due_at: datetime
    project_id: int
    project_name: str
    created_at: datetime
    updated_at: datetime
    labels: list[LabelView] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED


def _calendar_rows(*conditions: ColumnElement[bool]) -> Select:
    """Tasks with a due date, in use (not in the Trash, not archived), in projects not deleted,
    by due date; with their project's name through the join that already excludes deleted ones."""
    return (
        select(
            Task.id,
            Task.title,
            Task.status,
            Task.priority,
            Task.due_at,
            Task.project_id,
            Project.name,
            Task.created_at,
            Task.updated_at,
        )
        .join(Project, Project.id == Task.project_id)
        .where(Task.due_at.is_not(None), in_use(), Project.deleted_at.is_(None), *conditions)
        .order_by(Task.due_at, Task.id)
    )


def _with_labels(session: DbSession, statement: Select) -> list[CalendarTask]:
    """The rows as CalendarTasks, each with its labels: two statements whatever the count."""
    tasks = [CalendarTask(*row) for row in session.execute(statement)]
    labels = labels_for_tasks(session, (task.id for task in tasks))
    for task in tasks:
        task.labels = labels.get(task.id, [])
    return tasks


def project_tasks_between(
    session: DbSession, project_id: int, start: datetime, end: datetime
) -> list[CalendarTask]:
    """A project's tasks due in [start, end), open and completed."""
    return _with_labels(
        session,
        _calendar_rows(Task.project_id == project_id, Task.due_at >= start, Task.due_at < end),
    )


def _assigned_open(user_id: int) -> list[ColumnElement[bool]]:
    """The person's open tasks, in projects they still belong to."""
    member = exists().where(
        ProjectMember.project_id == Task.project_id, ProjectMember.user_id == user_id
    )
    return [Task.assignee_id == user_id, Task.status != TaskStatus.COMPLETED, member]


def my_tasks_between(
    session: DbSession, user_id: int, start: datetime, end: datetime
) -> list[CalendarTask]:
    """The person's open assigned tasks due in [start, end), across their projects."""
    conditions = [*_assigned_open(user_id), Task.due_at >= start, Task.due_at < end]
    return _with_labels(session, _calendar_rows(*conditions))


def my_open_tasks(session: DbSession, user_id: int) -> list[CalendarTask]:
    """Every open task assigned to the person with a due date: their feed."""
    return _with_labels(session, _calendar_rows(*_assigned_open(user_id)))


def project_open_tasks(session: DbSession, project_id: int) -> list[CalendarTask]:
    """A project's open tasks with a due date, whoever they are assigned to: a project feed."""
    conditions = [Task.project_id == project_id, Task.status != TaskStatus.COMPLETED]
    return _with_labels(session, _calendar_rows(*conditions))


def feed_owner(session: DbSession, token_hash: str) -> User | None:
    """The active person whose feed token has this hash; None for an unknown or revoked one."""
    return session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == token_hash, User.is_active.is_(True))
    )


def feed_of(session: DbSession, user_id: int) -> CalendarFeed | None:
    return session.get(CalendarFeed, user_id)


def member_project_name(session: DbSession, project_id: int, user_id: int) -> str | None:
    """The project's name if the person is a member and it is not deleted; None otherwise."""
    return session.scalar(
        select(Project.name)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(
            Project.id == project_id,
            Project.deleted_at.is_(None),
            ProjectMember.user_id == user_id,
        )
    )


def member_projects(session: DbSession, user_id: int) -> list[tuple[int, str]]:
    """The person's projects (id, name) by name, for per-project feed links."""
    rows = session.execute(
        select(Project.id, Project.name)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(ProjectMember.user_id == user_id, Project.deleted_at.is_(None))
        .order_by(Project.name, Project.id)
    )
    return [(project_id, name) for project_id, name in rows]


def reminders_by_task(
    session: DbSession, user_id: int, task_ids: Iterable[int]
) -> dict[int, list[TaskReminder]]:
    """The person's reminders on these tasks, in one statement."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    found: dict[int, list[TaskReminder]] = {}
    for reminder in session.scalars(
        select(TaskReminder)
        .where(TaskReminder.user_id == user_id, TaskReminder.task_id.in_(ids))
        .order_by(TaskReminder.task_id, TaskReminder.id)
    ):
        found.setdefault(reminder.task_id, []).append(reminder)
    return found
