"""The API's resources as marshmallow schemas: they shape answers, validate input and become
the OpenAPI document's components. Webhook payloads use the same ones (one shape per thing)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.tasklist.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TaskPriority,
    TaskStatus,
)

STATUSES = [status.value for status in TaskStatus]
PRIORITIES = [priority.value for priority in TaskPriority]


class LabelSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 40))
    color = fields.String(required=True, validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"))


class TaskSchema(Schema):
    """A task as the API shows it (and as webhook events carry it)."""

    id = fields.Integer(required=True, dump_only=True)
    project_id = fields.Integer(required=True, dump_only=True)
    title = fields.String(required=True, validate=validate.Length(1, TITLE_MAX_LENGTH))
    description = fields.String(
        load_default="", validate=validate.Length(0, DESCRIPTION_MAX_LENGTH)
    )
    status = fields.String(load_default="pending", validate=validate.OneOf(STATUSES))
    priority = fields.String(load_default="medium", validate=validate.OneOf(PRIORITIES))
    due_at = fields.AwareDateTime(allow_none=True, load_default=None, format="iso")
    assignee_id = fields.Integer(allow_none=True, load_default=None)
    creator_id = fields.Integer(dump_only=True)
    completed_at = fields.AwareDateTime(allow_none=True, dump_only=True, format="iso")
    series_id = fields.Integer(allow_none=True, dump_only=True)
    labels = fields.List(fields.Nested(LabelSchema), dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    updated_at = fields.AwareDateTime(dump_only=True, format="iso")
    url = fields.Url(dump_only=True, metadata={"description": "The task's page in Tickler."})


class CommentSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    task_id = fields.Integer(required=True, dump_only=True)
    author_id = fields.Integer(required=True, dump_only=True)
    body = fields.String(required=True, validate=validate.Length(1, 10000))
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    url = fields.Url(dump_only=True)


class ProjectSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 120))
    description = fields.String(load_default="", validate=validate.Length(0, 5000))
    owner_id = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, format="iso")
    url = fields.Url(dump_only=True)


class PersonSchema(Schema):
    """Another person as members see them: never their email unless on the same team."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details, the shape of every error."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(fields.Dict(keys=fields.String(), values=fields.String()))
