"""The project a page is about, for the signed-in person: the one 404 and 403 rule of every
project page, whichever feature serves it."""

from __future__ import annotations

from flask_login import current_user

from app.extensions import db
from app.projects import service as project_rules
from app.projects.models import MemberRole, Project


def load_project(project_id: int) -> Project:
    """The project for the current user; NotFound (a 404) for anyone outside it."""
    return project_rules.get_project_for_member(db.session, project_id, current_user.id)


def load_project_as_owner_or_member(project_id: int) -> tuple[Project, bool]:
    """The project and whether the current user owns it, in one statement; NotFound as above."""
    project, role = project_rules.project_and_role_for_member(
        db.session, project_id, current_user.id
    )
    return project, role == MemberRole.OWNER


def load_owned_project(project_id: int) -> Project:
    """The project for its owners; Forbidden (a 403) for other members."""
    project = load_project(project_id)
    project_rules.require_owner(db.session, project, current_user.id)
    return project
