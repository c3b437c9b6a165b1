"""Projects, their members, and who may see what."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.service import find_user_by_email, name_of
from app.core.database import DbSession
from app.core.errors import Forbidden, NotFound, RuleViolation
from app.projects.models import MemberRole, Project, ProjectMember
from app.tasklist.models import Task, TaskStatus, in_use


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    role: MemberRole
    open_tasks: int
    member_count: int


def membership(session: DbSession, project_id: int, user_id: int) -> ProjectMember | None:
    return session.scalar(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
        )
    )


def get_project_for_member(session: DbSession, project_id: int, user_id: int) -> Project:
    """The project if `user_id` belongs to it; NotFound otherwise, so its existence stays hidden."""
    return project_and_role_for_member(session, project_id, user_id)[0]


def project_and_role_for_member(
    session: DbSession, project_id: int, user_id: int
) -> tuple[Project, MemberRole]:
    """The project and the person's role in it, in one statement (pages that show owners'
    buttons need both); NotFound for anyone outside it."""
    found = session.execute(
        select(Project, ProjectMember.role)
        .join(ProjectMember)
        .where(
            Project.id == project_id,
            ProjectMember.user_id == user_id,
            # A deleted project is gone for everyone; its owner restores it from the projects page.
            Project.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        raise NotFound(f"project {project_id}")  # i18n: internal
    return found[0], found[1]


def require_owner(session: DbSession, project: Project, user_id: int) -> None:
    member = membership(session, project.id, user_id)
    if member is None or member.role != MemberRole.OWNER:
        raise Forbidden(gettext("Only the project's owners can do that."))


def is_owner(session: DbSession, project: Project, user_id: int) -> bool:
    member = membership(session, project.id, user_id)
    return member is not None and member.role == MemberRole.OWNER


def projects_for_user(session: DbSession, user_id: int) -> list[ProjectSummary]:
    """Every project the person belongs to, with counts, in three queries whatever the number."""
    rows = session.execute(
        select(Project, ProjectMember.role)
        .join(ProjectMember)
        .where(ProjectMember.user_id == user_id, Project.deleted_at.is_(None))
        .order_by(func.lower(Project.name))
    ).all()
    project_ids = [project.id for project, _ in rows]
    open_counts = dict(
        session.execute(
            select(Task.project_id, func.count())
            .where(
                Task.project_id.in_(project_ids),
                Task.status != TaskStatus.COMPLETED,
                in_use(),
            )
            .group_by(Task.project_id)
        ).all()
    )
    member_counts = dict(
        session.execute(
            select(ProjectMember.project_id, func.count())
            .where(ProjectMember.project_id.in_(project_ids))
            .group_by(ProjectMember.project_id)
        ).all()
    )
    return [
        ProjectSummary(
            project, role, open_counts.get(project.id, 0), member_counts.get(project.id, 0)
        )
        for project, role in rows
    ]


def deleted_projects_owned_by(session: DbSession, user_id: int) -> list[Project]:
    """The projects this person owns that are in the Trash, most recently deleted first."""
    return list(
        session.scalars(
            select(Project)
            .join(ProjectMember)
            .where(
                ProjectMember.user_id == user_id,
                ProjectMember.role == MemberRole.OWNER,
                Project.deleted_at.is_not(None),
            )
            .order_by(Project.deleted_at.desc(), Project.id.desc())
        )
    )


def create_project(session: DbSession, *, owner: User, name: str, description: str = "") -> Project:
    project = Project(name=name.strip(), description=description.strip(), owner=owner)
    project.memberships.append(ProjectMember(user=owner, role=MemberRole.OWNER))
    session.add(project)
    session.flush()
    return project


def update_project(project: Project, *, name: str, description: str) -> None:
    project.name = name.strip()
    project.description = description.strip()


def members_of(session: DbSession, project_id: int) -> list[ProjectMember]:
    return list(
        session.scalars(
            select(ProjectMember)
            .where(ProjectMember.project_id == project_id)
            .options(selectinload(ProjectMember.user))
            .join(User)
            .order_by(func.lower(User.name))
        )
    )


@dataclass(frozen=True)
class MemberChoice:
    user_id: int
    name: str


def member_choices(session: DbSession, project_id: int) -> list[MemberChoice]:
    """Id and name of each member, by name, for a filter's drop-down: two columns in one
    statement, each name looked up by its key (a join hashed every user in the database)."""
    rows = session.execute(member_choices_statement(project_id))
    return [MemberChoice(user_id, name) for user_id, name in rows]


def member_choices_statement(project_id: int) -> Select:
    members = (
        select(ProjectMember.user_id, name_of(ProjectMember.user_id).label("name"))
        .where(ProjectMember.project_id == project_id)
        .subquery()
    )
    return select(members.c.user_id, members.c.name).order_by(func.lower(members.c.name))


def add_member_by_email(session: DbSession, project: Project, email: str) -> ProjectMember:
    user = find_user_by_email(session, email)
    if user is None:
        raise RuleViolation(
            gettext(
                "Nobody has a Tickler account at %(email)s. Ask them to register, then add them.",
                email=email.strip(),
            )
        )
    if membership(session, project.id, user.id) is not None:
        raise RuleViolation(
            gettext("%(name)s is already a member of this project.", name=user.name)
        )
    member = ProjectMember(project=project, user=user, role=MemberRole.MEMBER)
    session.add(member)
    session.flush()
    return member


def remove_member(session: DbSession, project: Project, user_id: int) -> User:
    """Take someone off the project; their tasks there become unassigned."""
    member = membership(session, project.id, user_id)
    if member is None:
        raise NotFound(f"member {user_id}")  # i18n: internal
    if member.role == MemberRole.OWNER:
        raise RuleViolation(gettext("The project's owner cannot be removed."))
    session.execute(
        update(Task)
        .where(Task.project_id == project.id, Task.assignee_id == user_id)
        .values(assignee_id=None)
    )
    session.delete(member)
    return member.user
