"""Forms for projects and their members."""

from __future__ import annotations

from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email

from app.models.project import PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH
from app.web.forms.base import WebForm
from app.web.forms.messages import length
from app.web.forms.validators import no_control_characters, single_line, strip_whitespace


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
