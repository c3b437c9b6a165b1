"""A project's recurring series through the API: the recurring pages' service calls (the
template each occurrence copies, an RRULE, the first due moment)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from app.api.auth import api_user
from app.api.docs_helpers import problems, rule_broken
from app.api.projects import load
from app.api.schemas import PRIORITIES
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.web.converters import MAX_ID
from app.extensions import db
from app.recurring import service as series_rules
from app.recurring.models import RULE_MAX_LENGTH, RecurringSeries
from app.recurring.rules import FIRST_DATE_WITHIN_YEARS, check_start, normalise_rule
from app.tasklist.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, TaskPriority

blp = Blueprint("api_recurring", __name__, url_prefix="/api/v1", description="Recurring series")


def start_near_today(starts_at: datetime) -> None:
    """The pages' bound on the first due date, as a 422 on starts_at."""
    try:
        check_start(starts_at, utcnow())
    except RuleViolation as error:
        raise ValidationError(str(error)) from None


class SeriesSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    project_id = fields.Integer(dump_only=True)
    owner_id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(1, TITLE_MAX_LENGTH))
    description = fields.String(
        load_default="", validate=validate.Length(0, DESCRIPTION_MAX_LENGTH)
    )
    priority = fields.String(load_default="medium", validate=validate.OneOf(PRIORITIES))
    assignee_id = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(1, MAX_ID)
    )
    rule = fields.String(
        required=True,
        validate=validate.Length(1, RULE_MAX_LENGTH),
        metadata={"description": "An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO."},
    )
    starts_at = fields.AwareDateTime(
        required=True,
        format="iso",
        validate=start_near_today,
        metadata={
            "description": f"The first due moment, within {FIRST_DATE_WITHIN_YEARS} years of now."
        },
    )
    timezone = fields.String(dump_only=True)
    stopped_at = fields.AwareDateTime(allow_none=True, dump_only=True, format="iso")
    next_due_at = fields.AwareDateTime(allow_none=True, dump_only=True, format="iso")


def shown(series: RecurringSeries, next_due: list[Any]) -> dict[str, Any]:
    return {
        "id": series.id,
        "project_id": series.project_id,
        "owner_id": series.owner_id,
        "title": series.title,
        "description": series.description,
        "priority": series.priority.value,
        "assignee_id": series.assignee_id,
        "rule": series.rule,
        "starts_at": series.starts_at,
        "timezone": series.timezone,
        "stopped_at": series.stopped_at,
        "next_due_at": next_due[0] if next_due else None,
    }


@blp.route("/projects/<int:project_id>/recurring")
class ProjectSeries(MethodView):
    @blp.response(200, SeriesSchema(many=True))
    @problems(blp, 404)
    def get(self, project_id: int) -> list[dict[str, Any]]:
        """The project's series, running ones first, each with its next due moment."""
        project, _ = load(project_id)
        now = utcnow()
        return [
            shown(series, series_rules.upcoming(series, now, 1))
            for series in series_rules.series_of_project(db.session, project.id)
        ]

    @blp.arguments(SeriesSchema)
    @blp.response(201, SeriesSchema)
    @problems(blp, 404, 422)
    def post(self, data: dict[str, Any], project_id: int) -> tuple[dict[str, Any], int]:
        """A task that repeats (any member, as on the page); occurrences become tasks when due."""
        project, _ = load(project_id)
        try:
            rule = normalise_rule(data["rule"])
        except RuleViolation as error:
            raise rule_broken("rule", error) from None
        fields_ = series_rules.TemplateFields(
            title=data["title"],
            description=data["description"],
            priority=TaskPriority(data["priority"]),
            assignee_id=data["assignee_id"],
            rule=rule,
            starts_at=data["starts_at"],
        )
        now = utcnow()
        try:
            series = series_rules.create_series(
                db.session, project_id=project.id, owner=api_user(), fields=fields_, now=now
            )
        except RuleViolation as error:
            db.session.rollback()
            raise rule_broken("assignee_id", error) from None
        db.session.commit()
        return shown(series, series_rules.upcoming(series, now, 1)), 201
