"""A project's webhooks through the API, for its owners: the webhook pages' service calls,
the same URL safety rules, the secret shown once when made."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import api_user
from app.api.docs_helpers import LOCATION_HEADER, problems, rule_broken
from app.api.projects import load_owned
from app.core.errors import RuleViolation
from app.extensions import db
from app.webhooks import service as webhook_rules
from app.webhooks.models import URL_MAX_LENGTH, WEBHOOK_EVENTS, WebhookSubscription
from app.webhooks.url_safety import parse_allowed_hosts

blp = Blueprint("api_webhooks", __name__, url_prefix="/api/v1", description="Webhooks")


class WebhookSchema(Schema):
    id = fields.Integer(required=True, dump_only=True)
    project_id = fields.Integer(dump_only=True)
    url = fields.String(
        required=True,
        validate=validate.Length(1, URL_MAX_LENGTH),
        metadata={"description": "http(s) to a public address (private ones are refused)."},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)),
        required=True,
        validate=validate.Length(min=1),
    )
    active = fields.Boolean(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, format="iso")


class NewWebhookSchema(WebhookSchema):
    secret = fields.String(
        dump_only=True,
        metadata={"description": "Verify our signatures with it; shown only in this answer."},
    )


def shown(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "project_id": subscription.project_id,
        "url": subscription.url,
        "events": subscription.event_list,
        "active": subscription.active,
        "created_at": subscription.created_at,
    }


@blp.route("/projects/<int:project_id>/webhooks")
class ProjectWebhooks(MethodView):
    @blp.response(200, WebhookSchema(many=True))
    @problems(blp, 404)
    def get(self, project_id: int) -> list[dict[str, Any]]:
        """The project's webhooks (owners only), without their secrets."""
        project = load_owned(project_id)
        return [shown(s) for s in webhook_rules.subscriptions_of(db.session, project.id)]

    @blp.arguments(WebhookSchema)
    @blp.response(201, NewWebhookSchema, headers=LOCATION_HEADER)
    @problems(blp, 404, 422)
    def post(self, data: dict[str, Any], project_id: int) -> tuple[dict[str, Any], int, dict]:
        """Add a webhook (owners only); the answer carries its secret, this once."""
        project = load_owned(project_id)
        try:
            subscription = webhook_rules.create_subscription(
                db.session,
                project=project,
                creator=api_user(),
                url=data["url"],
                events=data["events"],
                allowed_hosts=parse_allowed_hosts(current_app.config["WEBHOOK_ALLOWED_HOSTS"]),
            )
        except RuleViolation as error:
            db.session.rollback()
            raise rule_broken("url", error) from None
        db.session.commit()
        location = url_for("api_webhooks.WebhookById", webhook_id=subscription.id)
        return {**shown(subscription), "secret": subscription.secret}, 201, {"Location": location}


@blp.route("/webhooks/<int:webhook_id>")
class WebhookById(MethodView):
    @blp.response(204)
    @problems(blp, 404)
    def delete(self, webhook_id: int) -> Response:
        """Delete a webhook with its delivery log (owners only)."""
        subscription = webhook_rules.get_subscription(db.session, webhook_id)
        load_owned(subscription.project_id)
        db.session.delete(subscription)
        db.session.commit()
        return Response(status=204)
