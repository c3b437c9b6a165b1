"""My reminders on a task through the API: the task page's reminder rules (a time before the
due date, or a moment of my own, never one already past)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, url_for
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.auth import api_user
from app.api.docs_helpers import LOCATION_HEADER, problems, rule_broken
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.reminders import service as reminders
from app.reminders.models import TaskReminder
from app.tasklist.service import get_task_for_member

blp = Blueprint("api_reminders", __name__, url_prefix="/api/v1", description="Reminders")


class ReminderSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    task_id = fields.Integer(dump_only=True)
    before_due = fields.String(
        allow_none=True,
        validate=validate.OneOf(list(reminders.BEFORE_DUE)),
        metadata={"description": "1h, 1d or 1w before the due date (moves with it)."},
    )
    at = fields.AwareDateTime(
        allow_none=True, format="iso", metadata={"description": "Or a moment of your own."}
    )
    remind_at = fields.AwareDateTime(allow_none=True, dump_only=True, format="iso")
    sent_at = fields.AwareDateTime(allow_none=True, dump_only=True, format="iso")

    @validates_schema
    def one_way(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("before_due") is None) == (data.get("at") is None):
            raise ValidationError(gettext("Send before_due or at, one of the two."), "before_due")


def shown(reminder: TaskReminder) -> dict[str, Any]:
    return {
        "id": reminder.id,
        "task_id": reminder.task_id,
        "before_due": reminder.before_due,
        "at": None if reminder.before_due else reminder.remind_at,
        "remind_at": reminder.remind_at,
        "sent_at": reminder.sent_at,
    }


@blp.route("/tasks/<int:task_id>/reminders")
class TaskReminders(MethodView):
    @blp.response(200, ReminderSchema(many=True))
    @problems(blp, 404)
    def get(self, task_id: int) -> list[dict[str, Any]]:
        """My reminders on this task, soonest first (others' reminders are theirs)."""
        task = get_task_for_member(db.session, task_id, api_user().id)
        return [shown(r) for r in reminders.reminders_of(db.session, task.id, api_user().id)]

    @blp.arguments(ReminderSchema)
    @blp.response(201, ReminderSchema, headers=LOCATION_HEADER)
    @problems(blp, 404, 422)
    def post(self, data: dict[str, Any], task_id: int) -> tuple[dict[str, Any], int, dict]:
        """Remind me of this task: before its due date, or at a moment I choose."""
        user = api_user()
        task = get_task_for_member(db.session, task_id, user.id)
        try:
            reminder = reminders.add_reminder(
                db.session,
                task,
                user.id,
                user.timezone,
                utcnow(),
                at=data.get("at"),
                before_due=data.get("before_due"),
            )
        except RuleViolation as error:
            db.session.rollback()
            raise rule_broken("at" if data.get("at") else "before_due", error) from None
        db.session.commit()
        location = url_for("api_reminders.ReminderById", reminder_id=reminder.id)
        return shown(reminder), 201, {"Location": location}


@blp.route("/reminders/<int:reminder_id>")
class ReminderById(MethodView):
    @blp.response(204)
    @problems(blp, 404)
    def delete(self, reminder_id: int) -> Response:
        """Remove one of my reminders."""
        reminder = db.session.get(TaskReminder, reminder_id)
        if reminder is None or reminder.user_id != api_user().id:
            abort(404)
        db.session.delete(reminder)
        db.session.commit()
        return Response(status=204)
