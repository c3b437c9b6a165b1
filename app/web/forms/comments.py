"""The comment and reminder forms on a task's page."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.models.comment import COMMENT_MAX_LENGTH
from app.web.forms.base import WebForm
from app.web.forms.messages import ChoiceField, length
from app.web.forms.validators import no_control_characters, strip_whitespace


class CommentForm(WebForm):
    body = TextAreaField(
        "Comment",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Write something before posting."),
            length(COMMENT_MAX_LENGTH, what="a comment"),
            no_control_characters,
        ],
        description="Mention a teammate with @name or @email. Links become clickable.",
    )


class ReminderForm(WebForm):
    when = ChoiceField(
        "Remind me",
        invalid="Choose when to be reminded from the list.",
        choices=[
            SelectChoice("1h", "1 hour before it is due"),
            SelectChoice("1d", "1 day before it is due"),
            SelectChoice("1w", "1 week before it is due"),
            SelectChoice("at", "At a time I choose"),
        ],
        default="1d",
    )
    at = StringField("At", filters=[strip_whitespace])
