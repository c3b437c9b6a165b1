"""The comment and reminder forms on a task's page."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired

from app.comments.models import COMMENT_MAX_LENGTH
from app.core.web.form_messages import ChoiceField, length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, strip_whitespace
from app.reminders.service import BEFORE_DUE


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


AT_A_TIME = "at"


class ReminderForm(WebForm):
    when = ChoiceField(
        "Remind me",
        invalid="Choose when to be reminded from the list.",
        choices=[
            *(SelectChoice(key, label) for key, (label, _, _) in BEFORE_DUE.items()),
            SelectChoice(AT_A_TIME, "At a time I choose"),
        ],
        default="1d",
    )
    at = StringField("At", filters=[strip_whitespace])

    def __init__(self, *args: object, has_due_date: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not has_due_date:
            # "1 day before" means nothing without a due date: offer only a chosen time.
            self.when.choices = [SelectChoice(AT_A_TIME, "At a time I choose")]
            if not self.is_submitted():
                self.when.data = AT_A_TIME
