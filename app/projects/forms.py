"""Forms for projects and their members."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, single_line, strip_whitespace
from app.projects.models import PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH


class ProjectForm(WebForm):
    name = StringField(
        lazy_gettext("Name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Give the project a name.")),
            # A whole sentence per field (not length(what=...)): WTForms fills in %(max)d.
            Length(
                max=PROJECT_NAME_MAX_LENGTH,
                message=lazy_gettext("Keep the name to %(max)d characters or fewer."),
            ),
            no_control_characters,
            single_line,
        ],
    )
    description = TextAreaField(
        lazy_gettext("Description"),
        filters=[strip_whitespace],
        validators=[
            Length(
                max=PROJECT_DESCRIPTION_MAX_LENGTH,
                message=lazy_gettext("Keep the description to %(max)d characters or fewer."),
            ),
            no_control_characters,
        ],
    )


class AddMemberForm(WebForm):
    email = EmailField(
        lazy_gettext("Email of the person to add"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Enter their email address.")),
            Email(
                lazy_gettext("That does not look like an email address."),
                check_deliverability=False,
            ),
        ],
    )
