"""Input and answer schemas of the task endpoints, beside the shared ones in schemas.py."""

from __future__ import annotations

from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

from app.api.paging import DEFAULT_LIMIT, MAX_LIMIT
from app.api.schemas import PRIORITIES, STATUSES, CommentSchema, TaskSchema
from app.checklists.models import ITEM_TEXT_MAX_LENGTH
from app.comments.models import COMMENT_MAX_LENGTH
from app.core.web.converters import MAX_ID
from app.tasklist.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH
from app.tasklist.service import SORTS

ID = validate.Range(1, MAX_ID)
# The service strips a title: one of spaces only would be stored empty.
NOT_BLANK = validate.Regexp(r"\S", error=lazy_gettext("Give the task a title."))
TITLE = [validate.Length(1, TITLE_MAX_LENGTH), NOT_BLANK]


class PageArgs(Schema):
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page, 1 to {MAX_LIMIT}."},
    )
    cursor = fields.String(
        validate=validate.Length(1, 1000),
        metadata={"description": "From the Link header's next URL; opaque."},
    )


class TaskListArgs(PageArgs):
    """The web list's filters and sorts (app/tasklist/filters.py), as query parameters."""

    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)))
    priority = fields.List(fields.String(validate=validate.OneOf(PRIORITIES)))
    assignee = fields.String(
        validate=validate.Regexp(r"^(none|[0-9]{1,10})$"),
        metadata={"description": "A member's id, or `none` for unassigned tasks."},
    )
    label = fields.List(fields.Integer(validate=ID), metadata={"description": "Label ids."})
    sort = fields.String(load_default="due", validate=validate.OneOf(list(SORTS)))


class TaskCreateSchema(TaskSchema):
    """POST: a task's fields (TaskSchema's), its title not blank."""

    title = fields.String(required=True, validate=TITLE)
    assignee_id = fields.Integer(allow_none=True, load_default=None, validate=ID)


class TaskUpdateSchema(Schema):
    """PATCH: any of a task's editable fields; those left out keep their value."""

    title = fields.String(validate=TITLE)
    description = fields.String(validate=validate.Length(0, DESCRIPTION_MAX_LENGTH))
    status = fields.String(validate=validate.OneOf(STATUSES))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    due_at = fields.AwareDateTime(allow_none=True, format="iso")
    assignee_id = fields.Integer(allow_none=True, validate=ID)


class CommentInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(1, COMMENT_MAX_LENGTH))


class CommentOutSchema(CommentSchema):
    author_name = fields.String(dump_only=True)


class SearchArgs(PageArgs):
    q = fields.String(required=True, validate=validate.Length(1, 200))
    project = fields.Integer(validate=ID)
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)))


class SearchResultSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    priority = fields.String(required=True)
    due_at = fields.AwareDateTime(allow_none=True, format="iso")
    archived = fields.Boolean(required=True)
    project_id = fields.Integer(required=True)
    project_name = fields.String(required=True)
    assignee_name = fields.String(allow_none=True)
    matched_in = fields.String(
        required=True, metadata={"description": "title, description or comment"}
    )
    snippet = fields.String(required=True)
    labels = fields.List(fields.String(), required=True)
    url = fields.Url(required=True)


class LabelNamesSchema(Schema):
    labels = fields.List(
        fields.String(validate=validate.Length(1, 40)),
        required=True,
        validate=validate.Length(0, 50),
        metadata={"description": "Names of the project's labels (any case); [] clears."},
    )


class ChecklistItemSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    task_id = fields.Integer(required=True, dump_only=True)
    text = fields.String(required=True, validate=validate.Length(1, ITEM_TEXT_MAX_LENGTH))
    done = fields.Boolean(load_default=False)
    position = fields.Float(dump_only=True)


class ChecklistItemUpdateSchema(Schema):
    text = fields.String(validate=validate.Length(1, ITEM_TEXT_MAX_LENGTH))
    done = fields.Boolean()
