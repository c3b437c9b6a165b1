"""The form that makes a personal access token on the profile's API tokens page."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField, ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired, Optional

from app.api.models import ADMIN, READ, WRITE
from app.api.tokens import NAME_MAX
from app.core.web.form_messages import CheckboxesField, DayField, length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, strip_whitespace

SCOPE_CHOICES = [
    SelectChoice(READ, _l("read: see projects, tasks, comments and the rest")),
    SelectChoice(WRITE, _l("write: create, change, complete and delete")),
    SelectChoice(ADMIN, _l("admin: the administration endpoints (admins only)")),
]


class TokenForm(WebForm):
    name = StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Name the token after what will use it, e.g. “deploy script”.")),
            length(NAME_MAX),
            no_control_characters,
        ],
        description=_l("What uses it: you will see this name in the list, not the secret."),
    )
    scopes = CheckboxesField(
        _l("Scopes"),
        choices=SCOPE_CHOICES,
        default=[READ],
        invalid=_l("Choose scopes from the list: read, write, admin."),
        validators=[DataRequired(_l("Choose at least one scope."))],
    )
    expires_on = DayField(
        _l("Expires after"),
        validators=[Optional()],
        description=_l("Optional. The token works until the end of that day in your timezone."),
    )

    def __init__(self, *args: Any, is_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_admin = is_admin

    def offered_scopes(self) -> list[Any]:
        """The checkboxes to show: only admins are offered the admin scope."""
        return [choice for choice in self.scopes if self.is_admin or choice.data != ADMIN]

    def validate_scopes(self, field: Field) -> None:
        # A hand-made post may still name it: refused with a sentence, not "not a valid choice".
        if ADMIN in (field.data or []) and not self.is_admin:
            raise ValidationError(gettext("Only admins can give a token the admin scope."))
