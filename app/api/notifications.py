"""The in-app bell through the API: my notifications, newest first, and marking them read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, abort
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import api_user
from app.api.docs_helpers import LINK_HEADER, problems
from app.api.paging import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor, next_link
from app.core.database import utcnow
from app.extensions import db
from app.notifications import service as notifications
from app.notifications.models import Notification

blp = Blueprint(
    "api_notifications", __name__, url_prefix="/api/v1/notifications", description="Notifications"
)


class NotificationArgs(Schema):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only unread ones."})
    cursor = fields.String(metadata={"description": "The next page's cursor (Link header)."})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    message = fields.String(required=True)
    task_id = fields.Integer(allow_none=True)
    comment_id = fields.Integer(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    read_at = fields.AwareDateTime(allow_none=True, format="iso")


class MarkedSchema(Schema):
    marked = fields.Integer(required=True, metadata={"description": "How many became read."})


def cursor_point(cursor: str) -> tuple[datetime, int]:
    created_at, notification_id = decode_cursor(cursor, 2)
    try:
        return datetime.fromisoformat(created_at), int(notification_id)
    except (TypeError, ValueError):
        abort(422, description=gettext("The cursor is not one this API gave out."))


@blp.route("")
class Notifications(MethodView):
    @blp.arguments(NotificationArgs, location="query")
    @blp.response(200, NotificationSchema(many=True), headers=LINK_HEADER)
    @problems(blp, 422)
    def get(self, args: dict[str, Any]) -> tuple[list[Notification], dict[str, str]]:
        """What concerns me, newest first, as the bell's list (one statement a page)."""
        before = cursor_point(args["cursor"]) if "cursor" in args else None
        limit = args["limit"]
        rows = notifications.inbox(
            db.session, api_user().id, limit + 1, unread_only=args["unread"], before=before
        )
        page = rows[:limit]
        last = page[-1] if len(rows) > limit else None
        link = next_link(encode_cursor([last.created_at.isoformat(), last.id]) if last else None)
        return page, ({"Link": link} if link else {})


@blp.route("/<int:notification_id>/read")
class MarkOneRead(MethodView):
    @blp.response(204)
    @problems(blp, 404)
    def post(self, notification_id: int) -> Response:
        """Mark one of my notifications read (as opening it from the bell does)."""
        item = db.session.get(Notification, notification_id)
        if item is None or item.user_id != api_user().id:
            abort(404)
        notifications.mark_read(db.session, api_user().id, utcnow(), notification_id)
        db.session.commit()
        return Response(status=204)


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @blp.response(200, MarkedSchema)
    @problems(blp)
    def post(self) -> dict[str, int]:
        """Mark every notification of mine read."""
        marked = notifications.mark_read(db.session, api_user().id, utcnow())
        db.session.commit()
        return {"marked": marked}
