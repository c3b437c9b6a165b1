"""The webhook form: where to send, and which events."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.web.form_messages import length
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


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError("Choose events from the list.") from None


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
    events = EventsField(
        "Events",
        choices=[
            SelectChoice(event, f"{event}: {EVENT_LABELS[event]}") for event in WEBHOOK_EVENTS
        ],
        validators=[DataRequired("Choose one or more events.")],
        default=list(WEBHOOK_EVENTS),
    )
    active = BooleanField("Active", default=True)
