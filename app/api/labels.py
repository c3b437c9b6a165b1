"""A project's labels through the API: the Labels page's service calls and rules (names
unique in any case, colors as #rrggbb with readable text on them)."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import api_user
from app.api.docs_helpers import LOCATION_HEADER, problems, rule_broken
from app.api.projects import load
from app.api.schemas import LabelSchema
from app.core.errors import Forbidden, RuleViolation
from app.extensions import db
from app.labels import service as labels
from app.labels.colors import text_color_on
from app.labels.models import LABEL_NAME_MAX_LENGTH, Label
from app.labels.service import LabelColorError
from app.projects.models import MemberRole

blp = Blueprint("api_labels", __name__, url_prefix="/api/v1", description="Labels")


class LabelOutSchema(LabelSchema):
    project_id = fields.Integer(dump_only=True)
    text_color = fields.String(
        dump_only=True, metadata={"description": "Dark or white: the more readable on color."}
    )
    task_count = fields.Integer(dump_only=True, metadata={"description": "In lists only."})


class LabelPatchSchema(Schema):
    name = fields.String(validate=validate.Length(1, LABEL_NAME_MAX_LENGTH))
    color = fields.String(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"))


def shown(label: Label) -> dict[str, Any]:
    return {
        "id": label.id,
        "project_id": label.project_id,
        "name": label.name,
        "color": label.color,
        "text_color": text_color_on(label.color),
    }


def saved(change: Any) -> None:
    """Run a label change; its rule broken is a 422 naming the field (name or color)."""
    try:
        change()
    except RuleViolation as error:
        db.session.rollback()
        raise rule_broken(
            "color" if isinstance(error, LabelColorError) else "name", error
        ) from None


@blp.route("/projects/<int:project_id>/labels")
class ProjectLabels(MethodView):
    @blp.response(200, LabelOutSchema(many=True))
    @problems(blp, 404)
    def get(self, project_id: int) -> list[dict[str, Any]]:
        """The project's labels by name, with how many tasks carry each (one statement)."""
        project, _ = load(project_id)
        return [
            {
                "id": row.id,
                "project_id": project.id,
                "name": row.name,
                "color": row.color,
                "text_color": row.text_color,
                "task_count": row.task_count,
            }
            for row in labels.project_labels_with_counts(db.session, project.id)
        ]

    @blp.arguments(LabelSchema)
    @blp.response(201, LabelOutSchema, headers=LOCATION_HEADER)
    @problems(blp, 404, 422)
    def post(self, data: dict[str, Any], project_id: int) -> tuple[dict[str, Any], int, dict]:
        """A new label (any member, as on the Labels page); 422 if the name is taken."""
        project, _ = load(project_id)
        made: list[Label] = []
        saved(lambda: made.append(labels.create_label(db.session, project.id, **data)))
        db.session.commit()
        location = url_for("api_labels.LabelById", label_id=made[0].id)
        return shown(made[0]), 201, {"Location": location}


@blp.route("/labels/<int:label_id>")
class LabelById(MethodView):
    @blp.arguments(LabelPatchSchema)
    @blp.response(200, LabelOutSchema)
    @problems(blp, 404, 422)
    def patch(self, data: dict[str, Any], label_id: int) -> dict[str, Any]:
        """Rename or recolor; every task carrying it shows the change at once."""
        label = labels.get_label_for_member(db.session, label_id, api_user().id)
        name, color = data.get("name", label.name), data.get("color", label.color)
        saved(lambda: labels.update_label(db.session, label, name, color))
        db.session.commit()
        return shown(label)

    @blp.response(204)
    @problems(blp, 404)
    def delete(self, label_id: int) -> Response:
        """Owners only: takes the label off every task at once; cannot be undone."""
        label = labels.get_label_for_member(db.session, label_id, api_user().id)
        _, role = load(label.project_id)
        if role != MemberRole.OWNER:
            raise Forbidden(gettext("Only the project's owners can delete labels."))
        labels.delete_label(db.session, label)
        db.session.commit()
        return Response(status=204)
