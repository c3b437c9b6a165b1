"""The Trash: deleting and restoring tasks and projects, its page, and the purge after
TRASH_RETENTION_DAYS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from flask_babel import gettext
from sqlalchemy import delete, func, select, update

from app.accounts.service import name_of
from app.core import events
from app.core.database import DbSession, execute_dml
from app.core.errors import Forbidden, NotFound, RuleViolation
from app.core.events import TaskDeleted, TaskRestored
from app.core.paging import PageLinks, page_within
from app.projects.models import MemberRole, Project, ProjectMember
from app.tasklist.models import Task, TaskStatus, in_trash, not_deleted
from app.tasklist.trash_rules import purge_cutoff


def delete_task(session: DbSession, task: Task, *, actor_id: int, now: datetime) -> None:
    """Move the task to its project's Trash; records TaskDeleted in this transaction."""
    if task.is_deleted:
        raise RuleViolation(gettext("That task is already in the Trash."))
    task.deleted_at = now
    task.deleted_by_id = actor_id
    events.record(session, TaskDeleted(task.id, task.project_id, actor_id))


def restore_task(session: DbSession, task: Task, *, actor_id: int) -> None:
    """Bring the task back from the Trash where it was; records TaskRestored."""
    if not task.is_deleted:
        raise RuleViolation(gettext("That task is not in the Trash."))
    task.deleted_at = None
    task.deleted_by_id = None
    events.record(session, TaskRestored(task.id, task.project_id, actor_id))


@dataclass(frozen=True)
class TrashRow:
    """A task as the Trash lists it."""

    id: int
    title: str
    status: TaskStatus
    deleted_at: datetime
    deleted_by_name: str | None


@dataclass
class TrashPage(PageLinks):
    items: list[TrashRow]
    page: int
    pages: int
    total: int


def trash_page(session: DbSession, project_id: int, page: int, per_page: int) -> TrashPage:
    """One page of a project's Trash, most recently deleted first, in two statements."""
    in_this_trash = (Task.project_id == project_id, in_trash())
    total = session.scalar(select(func.count()).select_from(Task).where(*in_this_trash)) or 0
    page, pages = page_within(page, total, per_page)
    rows = session.execute(
        select(Task.id, Task.title, Task.status, Task.deleted_at, name_of(Task.deleted_by_id))
        .where(*in_this_trash)
        .order_by(Task.deleted_at.desc(), Task.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    # cast: in_trash() leaves out a NULL deleted_at, which mypy cannot see.
    items = [
        TrashRow(id_, title, status, cast(datetime, at), by) for id_, title, status, at, by in rows
    ]
    return TrashPage(items, page, pages, total)


def delete_project(session: DbSession, project: Project, *, actor_id: int, now: datetime) -> int:
    """Put the project in the Trash with its tasks, in two statements; returns how many tasks.

    Its tasks get the project's own deletion moment, so every task query that leaves out the
    Trash (not_deleted, in_use) leaves them out with no join to projects, and a restore brings
    back exactly these: a task trashed on its own before keeps its own moment and stays."""
    if project.deleted_at is not None:
        raise RuleViolation(gettext("That project is already deleted."))
    project.deleted_at = now
    project.deleted_by_id = actor_id
    result = execute_dml(
        session,
        update(Task)
        .where(Task.project_id == project.id, not_deleted())
        .values(deleted_at=now, deleted_by_id=actor_id)
        .execution_options(synchronize_session=False),
    )
    return result.rowcount or 0


def restore_project(session: DbSession, project: Project) -> int:
    """Bring the project back with the tasks it took to the Trash; returns how many tasks."""
    deleted_at = project.deleted_at
    if deleted_at is None:
        raise RuleViolation(gettext("That project is not deleted."))
    result = execute_dml(
        session,
        update(Task)
        .where(Task.project_id == project.id, Task.deleted_at == deleted_at)
        .values(deleted_at=None, deleted_by_id=None)
        .execution_options(synchronize_session=False),
    )
    project.deleted_at = None
    project.deleted_by_id = None
    return result.rowcount or 0


def deleted_project_for_owner(session: DbSession, project_id: int, user_id: int) -> Project:
    """A deleted project for one of its owners; NotFound for outsiders and for a project that
    is not deleted, Forbidden for its other members."""
    found = session.execute(
        select(Project, ProjectMember.role)
        .join(ProjectMember)
        .where(
            Project.id == project_id,
            ProjectMember.user_id == user_id,
            Project.deleted_at.is_not(None),
        )
    ).first()
    if found is None:
        raise NotFound(f"deleted project {project_id}")  # i18n: internal
    if found[1] != MemberRole.OWNER:
        raise Forbidden(gettext("Only the project's owners can restore it."))
    return found[0]


@dataclass(frozen=True)
class Purged:
    tasks: int
    projects: int


def purge_trash(session: DbSession, now: datetime, retention_days: int) -> Purged:
    """Delete for good what has been in the Trash longer than `retention_days`: projects with
    all their tasks, then single tasks; three statements whatever the number, and running it
    again finds nothing more (comments, reminders and the like go with their task by the
    foreign keys' ON DELETE CASCADE)."""
    cutoff = purge_cutoff(now, retention_days)
    expired_projects = select(Project.id).where(
        Project.deleted_at.is_not(None), Project.deleted_at < cutoff
    )
    tasks_of_projects = execute_dml(
        session,
        delete(Task)
        .where(Task.project_id.in_(expired_projects))
        .execution_options(synchronize_session=False),
    )
    projects = execute_dml(
        session,
        delete(Project)
        .where(Project.id.in_(expired_projects))
        .execution_options(synchronize_session=False),
    )
    tasks = execute_dml(
        session,
        delete(Task)
        .where(in_trash(), Task.deleted_at < cutoff)
        .execution_options(synchronize_session=False),
    )
    return Purged(
        tasks=(tasks_of_projects.rowcount or 0) + (tasks.rowcount or 0),
        projects=projects.rowcount or 0,
    )
