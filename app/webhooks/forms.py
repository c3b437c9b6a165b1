"""The webhook form: where to send, and which events."""

from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired

from app.core.web.form_messages import CheckboxesField, length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, single_line, strip_whitespace
from app.webhooks.models import URL_MAX_LENGTH, WEBHOOK_EVENTS

EVENT_LABELS = {
    "task.created": "A task is created",
    "task.updated": "A task changes (any field, status included)",
    "task.completed": "A task is completed",
    "task.assigned": "A task is assigned to someone",
    "task.deleted": "A task is moved to the Trash",
    "task.restored": "A task is restored from the Trash",
    "comment.created": "Someone comments on a task",
}


class WebhookForm(WebForm):
    url = StringField(
        "Payload URL",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter the URL to send events to."),
            length(URL_MAX_LENGTH, what="the URL"),
            no_control_characters,
            single_line,
        ],
        description="An https:// address on the public internet; we POST JSON to it.",
    )
    events = CheckboxesField(
        "Events",
        invalid="Choose events from the list.",
        choices=[
            SelectChoice(event, f"{event}: {EVENT_LABELS[event]}") for event in WEBHOOK_EVENTS
        ],
        validators=[DataRequired("Choose one or more events.")],
        default=list(WEBHOOK_EVENTS),
    )
    active = BooleanField("Active", default=True)
