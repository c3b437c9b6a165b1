"""Projects and their members through the API: the same service calls as the project pages."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import api_user
from app.api.docs_helpers import ETAG_HEADER, IF_MATCH, LINK_HEADER, LOCATION_HEADER, problems
from app.api.etags import check_if_match, etag_of
from app.api.paging import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor, next_link
from app.api.schemas import ProjectSchema
from app.core.database import utcnow
from app.extensions import db
from app.projects import service as project_rules
from app.projects.models import (
    PROJECT_DESCRIPTION_MAX_LENGTH,
    PROJECT_NAME_MAX_LENGTH,
    MemberRole,
    Project,
)
from app.tasklist import trash

blp = Blueprint("api_projects", __name__, url_prefix="/api/v1/projects", description="Projects")
ROLES = [role.value for role in MemberRole]


class PageArgs(Schema):
    cursor = fields.String(metadata={"description": "The next page's cursor (Link header)."})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class ProjectOutSchema(ProjectSchema):
    role = fields.String(dump_only=True, validate=validate.OneOf(ROLES))
    open_tasks = fields.Integer(dump_only=True, metadata={"description": "In lists only."})
    member_count = fields.Integer(dump_only=True, metadata={"description": "In lists only."})


class ProjectPatchSchema(Schema):
    name = fields.String(validate=validate.Length(1, PROJECT_NAME_MAX_LENGTH))
    description = fields.String(validate=validate.Length(0, PROJECT_DESCRIPTION_MAX_LENGTH))


class MemberSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    email = fields.Email(metadata={"description": "Shown to fellow members, as on the page."})


def shown(project: Project, role: MemberRole) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "owner_id": project.owner_id,
        "created_at": project.created_at,
        "url": url_for("tasks.project_tasks", project_id=project.id, _external=True),
        "role": role.value,
    }


def load(project_id: int) -> tuple[Project, MemberRole]:
    """The project for a member; NotFound (404) for anyone else, as on the pages."""
    return project_rules.project_and_role_for_member(db.session, project_id, api_user().id)


def load_owned(project_id: int) -> Project:
    """The project for its owners: 404 outside it, 403 for a member (load_owned_project)."""
    project, _ = load(project_id)
    project_rules.require_owner(db.session, project, api_user().id)
    return project


def tagged(body: dict[str, Any], status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    return body, status, {"ETag": etag_of(ProjectOutSchema().dump(body))}


@blp.route("")
class Projects(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ProjectOutSchema(many=True), headers=LINK_HEADER)
    @problems(blp, 422)
    def get(self, args: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The person's live projects, by name (a Link header names the next page)."""
        summaries = project_rules.projects_for_user(db.session, api_user().id)
        # The service lists them all (three statements); the cursor is (lower name, id).
        rows = sorted(summaries, key=lambda s: (s.project.name.lower(), s.project.id))
        if "cursor" in args:
            after = decode_cursor(args["cursor"], 2)
            rows = [s for s in rows if (s.project.name.lower(), s.project.id) > tuple(after)]
        page = rows[: args["limit"]]
        last = page[-1].project if page and len(rows) > args["limit"] else None
        link = next_link(encode_cursor([last.name.lower(), last.id]) if last else None)
        items = [
            {**shown(s.project, s.role), "open_tasks": s.open_tasks, "member_count": s.member_count}
            for s in page
        ]
        return items, ({"Link": link} if link else {})

    @blp.arguments(ProjectSchema)
    @blp.response(201, ProjectOutSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @problems(blp, 422)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Create a project; you are its owner."""
        project = project_rules.create_project(
            db.session, owner=api_user(), name=data["name"], description=data["description"]
        )
        db.session.commit()
        body, status, headers = tagged(shown(project, MemberRole.OWNER), 201)
        headers["Location"] = url_for("api_projects.ProjectById", project_id=project.id)
        return body, status, headers


@blp.route("/<int:project_id>")
class ProjectById(MethodView):
    @blp.response(200, ProjectOutSchema, headers=ETAG_HEADER)
    @problems(blp, 404)
    def get(self, project_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
        """One project (with an ETag to send back in If-Match)."""
        project, role = load(project_id)
        return tagged(shown(project, role))

    @blp.arguments(ProjectPatchSchema)
    @blp.response(200, ProjectOutSchema, headers=ETAG_HEADER)
    @blp.doc(**IF_MATCH)
    @problems(blp, 404, 412, 422)
    def patch(
        self, data: dict[str, Any], project_id: int
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Rename or redescribe (owners only); If-Match with the ETag you read refuses a lost
        update with 412."""
        project = load_owned(project_id)
        check_if_match(etag_of(ProjectOutSchema().dump(shown(project, MemberRole.OWNER))))
        project_rules.update_project(
            project,
            name=data.get("name", project.name),
            description=data.get("description", project.description),
        )
        db.session.commit()
        return tagged(shown(project, MemberRole.OWNER))

    @blp.response(204)
    @blp.doc(**IF_MATCH)
    @problems(blp, 404, 412)
    def delete(self, project_id: int) -> Response:
        """Put the project in the Trash with its tasks (owners only); restorable on the
        projects page until purged."""
        project = load_owned(project_id)
        check_if_match(etag_of(ProjectOutSchema().dump(shown(project, MemberRole.OWNER))))
        trash.delete_project(db.session, project, actor_id=api_user().id, now=utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/<int:project_id>/members")
class Members(MethodView):
    @blp.response(200, MemberSchema(many=True))
    @problems(blp, 404)
    def get(self, project_id: int) -> list[dict[str, Any]]:
        """The project's members with their roles; emails as the members page shows them."""
        project, _ = load(project_id)
        return [
            {
                "id": member.user_id,
                "name": member.user.name,
                "role": member.role.value,
                "email": member.user.email,
            }
            for member in project_rules.members_of(db.session, project.id)
        ]
