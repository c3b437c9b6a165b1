"""The webhook form: where to send, and which events."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired

from app.core.web.form_messages import CheckboxesField, length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, single_line, strip_whitespace
from app.webhooks.models import URL_MAX_LENGTH, WEBHOOK_EVENTS

# What each event means, beside its name (the name itself is the API's, never translated).
EVENT_LABELS = {
    "task.created": lazy_gettext("A task is created"),
    "task.updated": lazy_gettext("A task changes (any field, status included)"),
    "task.completed": lazy_gettext("A task is completed"),
    "task.assigned": lazy_gettext("A task is assigned to someone"),
    "task.deleted": lazy_gettext("A task is moved to the Trash"),
    "task.restored": lazy_gettext("A task is restored from the Trash"),
    "comment.created": lazy_gettext("Someone comments on a task"),
}


class WebhookForm(WebForm):
    url = StringField(
        lazy_gettext("Payload URL"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Enter the URL to send events to.")),
            length(URL_MAX_LENGTH, what=lazy_gettext("the URL")),
            no_control_characters,
            single_line,
        ],
        description=lazy_gettext("An https:// address on the public internet; we POST JSON to it."),
    )
    events = CheckboxesField(
        lazy_gettext("Events"),
        invalid=lazy_gettext("Choose events from the list."),
        choices=[SelectChoice(event, EVENT_LABELS[event]) for event in WEBHOOK_EVENTS],
        validators=[DataRequired(lazy_gettext("Choose one or more events."))],
        default=list(WEBHOOK_EVENTS),
    )
    active = BooleanField(lazy_gettext("Active"), default=True)
