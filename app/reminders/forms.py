"""The form a person sets a reminder on a task with: a time before the due date, or their own."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs

from app.core.web.form_messages import ChoiceField
from app.core.web.forms import WebForm
from app.core.web.validators import strip_whitespace
from app.reminders.service import BEFORE_DUE

AT_A_TIME = "at"


class ReminderForm(WebForm):
    when = ChoiceField(
        lazy_gettext("Remind me"),
        invalid=lazy_gettext("Choose when to be reminded from the list."),
        choices=[
            *(SelectChoice(key, label) for key, (label, _, _) in BEFORE_DUE.items()),
            SelectChoice(AT_A_TIME, lazy_gettext("At a time I choose")),
        ],
        default="1d",
    )
    at = StringField(lazy_gettext("At"), filters=[strip_whitespace])

    def __init__(self, *args: object, has_due_date: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not has_due_date:
            # "1 day before" means nothing without a due date: offer only a chosen time.
            self.when.choices = [SelectChoice(AT_A_TIME, lazy_gettext("At a time I choose"))]
            if not self.is_submitted():
                self.when.data = AT_A_TIME
