"""Exports through the API: start one (as the task list's Export button), poll it, download it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, send_file, url_for
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from app.api.auth import api_user
from app.api.docs_helpers import LOCATION_HEADER, problems, rule_broken
from app.core.database import utcnow
from app.core.errors import NotFound, RuleViolation
from app.core.queueing import try_queue
from app.core.web.converters import MAX_ID
from app.exports import service as export_rules
from app.exports.files import CONTENT_TYPES
from app.exports.jobs import export_tasks_async
from app.exports.models import Export, ExportFormat, ExportStatus
from app.extensions import db
from app.projects import service as project_rules
from app.tasklist.filters import MAX_LABELS, parse_filters
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import SORTS

blp = Blueprint("api_exports", __name__, url_prefix="/api/v1/exports", description="Exports")
ID = validate.Range(1, MAX_ID)


class ExportFiltersSchema(Schema):
    """The task list's filters, as its query string names them."""

    status = fields.List(fields.String(validate=validate.OneOf([s.value for s in TaskStatus])))
    priority = fields.List(fields.String(validate=validate.OneOf([p.value for p in TaskPriority])))
    assignee = fields.String(
        validate=validate.Regexp(r"^(none|[1-9][0-9]{0,9})$"),
        metadata={"description": "A member's id, or `none` for unassigned tasks."},
    )
    label = fields.List(fields.Integer(validate=ID), validate=validate.Length(max=MAX_LABELS))
    sort = fields.String(validate=validate.OneOf(list(SORTS)))


class ExportStartSchema(Schema):
    project_id = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=ID,
        metadata={"description": "A project of yours; none for my tasks across projects."},
    )
    format = fields.String(required=True, validate=validate.OneOf([f.value for f in ExportFormat]))
    filters = fields.Nested(ExportFiltersSchema, load_default=dict)


class ExportSchema(Schema):
    id = fields.Integer(required=True)
    project_id = fields.Integer(allow_none=True)
    format = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ExportStatus]))
    rows_written = fields.Integer(required=True)
    total_rows = fields.Integer(allow_none=True)
    percent = fields.Integer(required=True)
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    download_url = fields.String(allow_none=True, metadata={"description": "Once done."})


def shown(export: Export) -> dict[str, Any]:
    done = export.status == ExportStatus.DONE
    return {
        "id": export.id,
        "project_id": export.project_id,
        "format": export.format.value,
        "status": export.status.value,
        "rows_written": export.rows_written,
        "total_rows": export.total_rows,
        "percent": export.percent,
        "error": export.error,
        "created_at": export.created_at,
        "download_url": url_for("api_exports.Download", export_id=export.id) if done else None,
    }


def as_query(filters: dict[str, Any]) -> MultiDict[str, str]:
    """The JSON filters as the task list's query string, for the list's own parser."""
    pairs = [
        (key, str(value))
        for key in ("status", "priority", "label")
        for value in filters.get(key, [])
    ]
    pairs += [(key, filters[key]) for key in ("assignee", "sort") if key in filters]
    return MultiDict(pairs)


def load_export(export_id: int) -> Export:
    return export_rules.get_export_for_owner(db.session, export_id, api_user().id)


@blp.route("")
class Exports(MethodView):
    @blp.arguments(ExportStartSchema)
    @blp.response(201, ExportSchema, headers=LOCATION_HEADER)
    @problems(blp, 404, 422)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Start an export of a project's tasks (or mine) with the task list's filters; poll
        its Location until done, then download. At most a few run at once per person."""
        user_id = api_user().id
        if data["project_id"] is not None:
            # Outsiders get 404 before anything else is judged, as on the page.
            project_rules.get_project_for_member(db.session, data["project_id"], user_id)
        filters, ignored = parse_filters(as_query(data["filters"]))
        if ignored.values:
            raise rule_broken("filters", ValueError(f"Unknown filter values {ignored.unknown}."))
        try:
            export = export_rules.create_export(
                db.session,
                user_id=user_id,
                project_id=data["project_id"],
                export_format=data["format"],
                filters=filters,
            )
        except RuleViolation as error:
            db.session.rollback()
            raise rule_broken("body", error) from None
        db.session.commit()
        if try_queue(export_tasks_async, export.id) is None:
            # The broker is down: the export says so, as the page does.
            export_rules.mark_failed(
                db.session, export.id, export_rules.QUEUE_DOWN_MESSAGE, utcnow()
            )
            db.session.commit()
            db.session.refresh(export)
        location = url_for("api_exports.ExportById", export_id=export.id)
        return shown(export), 201, {"Location": location}


@blp.route("/<int:export_id>")
class ExportById(MethodView):
    @blp.response(200, ExportSchema)
    @problems(blp, 404)
    def get(self, export_id: int) -> dict[str, Any]:
        """Status and progress of one of my exports."""
        return shown(load_export(export_id))


@blp.route("/<int:export_id>/download")
class Download(MethodView):
    @blp.response(
        200,
        content_type="application/octet-stream",
        description="The CSV or XLSX file, as an attachment.",
    )
    @problems(blp, 404, 409, 410)
    def get(self, export_id: int) -> Response:
        """The finished file; 409 while it is still running (or failed), 410 once expired."""
        export = load_export(export_id)
        if export.status == ExportStatus.EXPIRED:
            abort(410, description=gettext("That export's file has expired; start a new export."))
        if export.status != ExportStatus.DONE:
            # The status as the API's `status` field writes it (a code, not a word).
            abort(
                409,
                description=gettext(
                    "That export is %(status)s, not finished.", status=export.status.value
                ),
            )
        try:
            found = export_rules.file_of(export, Path(current_app.config["EXPORT_DIR"]))
        except NotFound:
            abort(410, description=gettext("That export's file is gone; start a new export."))
        return send_file(
            found.path,
            mimetype=CONTENT_TYPES[export.format],
            as_attachment=True,
            download_name=found.download_name,
            max_age=0,
        )
