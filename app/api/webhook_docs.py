"""The webhooks in the OpenAPI document (OpenAPI 3.1 top-level `webhooks`): one POST per event
Tickler sends, its body built from the same schemas as the API's resources (TaskSchema,
CommentSchema), its Standard Webhooks headers. app/webhooks/service.py makes the bodies; a test
sends real deliveries to a receiver and validates each against this description."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema, fields

from app.api.schemas import CommentSchema, TaskSchema
from app.webhooks.models import WEBHOOK_EVENTS
from app.webhooks.service import PING
from app.webhooks.signing import (
    SIGNATURE_HEADER,
    STANDARD_ID_HEADER,
    STANDARD_SIGNATURE_HEADER,
    STANDARD_TIMESTAMP_HEADER,
)


class ProjectRefSchema(Schema):
    id = fields.Integer(required=True)


class TrashedTaskSchema(TaskSchema):
    """A task as task.deleted and task.restored carry it: with when it went to the Trash."""

    deleted_at = fields.AwareDateTime(required=True, allow_none=True, format="iso")


class TaskEventDataSchema(Schema):
    task = fields.Nested(TaskSchema, required=True)


class TrashedTaskEventDataSchema(Schema):
    task = fields.Nested(TrashedTaskSchema, required=True)


class CommentEventDataSchema(Schema):
    comment = fields.Nested(CommentSchema, required=True)


class PingDataSchema(Schema):
    message = fields.String(required=True)
    events = fields.List(fields.String(), required=True)


# Each event's `data`, by its name (the data schema's component name, then what it means).
EVENT_DATA: dict[str, tuple[str, type[Schema], str]] = {
    "task.created": ("TaskEventData", TaskEventDataSchema, "A task was created."),
    "task.updated": (
        "TaskEventData",
        TaskEventDataSchema,
        "A task's fields or labels changed (the task as it is now).",
    ),
    "task.completed": ("TaskEventData", TaskEventDataSchema, "A task was completed."),
    "task.assigned": ("TaskEventData", TaskEventDataSchema, "A task got an assignee."),
    "task.deleted": (
        "TrashedTaskEventData",
        TrashedTaskEventDataSchema,
        "A task went to the Trash.",
    ),
    "task.restored": (
        "TrashedTaskEventData",
        TrashedTaskEventDataSchema,
        "A task came back from the Trash.",
    ),
    "comment.created": ("CommentEventData", CommentEventDataSchema, "A comment was added."),
    PING: ("PingData", PingDataSchema, "The test ping sent from the webhook's page."),
}
assert set(WEBHOOK_EVENTS) | {PING} == set(EVENT_DATA), "every webhook event is documented"


def event_component(event: str) -> str:
    """ "task.created" -> "TaskCreatedEvent"."""
    return "".join(part.capitalize() for part in event.split(".")) + "Event"


def envelope(event: str, data_component: str) -> dict[str, Any]:
    """The body every delivery has, app/webhooks/service.py's new_delivery."""
    return {
        "type": "object",
        "required": ["id", "event", "created_at", "project", "data"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "format": "uuid",
                "description": "The event's id: also the webhook-id and X-Tickler-Delivery "
                "headers; the same on every retry and redelivery.",
            },
            "event": {"type": "string", "const": event},
            "created_at": {"type": "string", "format": "date-time"},
            "project": {"$ref": "#/components/schemas/ProjectRef"},
            "data": {"$ref": f"#/components/schemas/{data_component}"},
        },
    }


def header(name: str, description: str) -> dict[str, Any]:
    return {
        "in": "header",
        "name": name,
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


HEADERS = [
    header(STANDARD_ID_HEADER, "Standard Webhooks message id: the event's id."),
    header(STANDARD_TIMESTAMP_HEADER, "Standard Webhooks timestamp, unix seconds."),
    header(
        STANDARD_SIGNATURE_HEADER,
        "Standard Webhooks signature: v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>'>, "
        "keyed with the webhook's whsec_ secret (see docs/WEBHOOKS.md).",
    ),
    header(
        SIGNATURE_HEADER,
        "Tickler's own signature, kept for existing receivers: t=<unix seconds>,v1=<hex "
        "HMAC-SHA256 of '<t>.<body>' keyed with the secret's text>.",
    ),
    header("X-Tickler-Event", "The event's name."),
    header("X-Tickler-Delivery", "The event's id (as webhook-id)."),
]


def document_webhooks(spec: APISpec) -> None:
    """Add `webhooks` and the payload schemas to the app's OpenAPI document."""
    spec.components.schema("ProjectRef", schema=ProjectRefSchema)
    for data_component, data_schema, _ in {v[0]: v for v in EVENT_DATA.values()}.values():
        spec.components.schema(data_component, schema=data_schema)
    webhooks: dict[str, Any] = {}
    for event, (data_component, _, summary) in EVENT_DATA.items():
        component = event_component(event)
        spec.components.schema(component, envelope(event, data_component))
        webhooks[event] = {
            "post": {
                "operationId": f"webhook_{event.replace('.', '_')}",
                "summary": summary,
                "description": "POSTed to each webhook subscribed to this event. Answer 2xx "
                "within the timeout; 5xx, 429 and network errors are retried with backoff.",
                "security": [],
                "parameters": HEADERS,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{component}"}
                        }
                    },
                },
                "responses": {"2XX": {"description": "Received; not sent again."}},
            }
        }
    spec.options["webhooks"] = webhooks
