"""The comment and reminder forms on a task's page."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired, Length

from app.models.comment import COMMENT_MAX_LENGTH
from app.web.forms.base import WebForm
from app.web.forms.validators import no_control_characters, strip_whitespace


class CommentForm(WebForm):
    body = TextAreaField(
        "Comment",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Write something before posting."),
            Length(max=COMMENT_MAX_LENGTH),
            no_control_characters,
        ],
        description="Mention a teammate with @name or @email. Links become clickable.",
    )


class ReminderForm(WebForm):
    when = SelectField(
        "Remind me",
        choices=[
            SelectChoice("1h", "1 hour before it is due"),
            SelectChoice("1d", "1 day before it is due"),
            SelectChoice("1w", "1 week before it is due"),
            SelectChoice("at", "At a time I choose"),
        ],
        default="1d",
    )
    at = StringField("At", filters=[strip_whitespace])
