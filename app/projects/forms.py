"""Forms for projects and their members."""

from __future__ import annotations

from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email

from app.core.web.form_messages import length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, single_line, strip_whitespace
from app.projects.models import PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH


class ProjectForm(WebForm):
    name = StringField(
        "Name",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Give the project a name."),
            length(PROJECT_NAME_MAX_LENGTH, what="the name"),
            no_control_characters,
            single_line,
        ],
    )
    description = TextAreaField(
        "Description",
        filters=[strip_whitespace],
        validators=[
            length(PROJECT_DESCRIPTION_MAX_LENGTH, what="the description"),
            no_control_characters,
        ],
    )


class AddMemberForm(WebForm):
    email = EmailField(
        "Email of the person to add",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter their email address."),
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )
