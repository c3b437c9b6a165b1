"""Forms for registering, logging in and keeping a profile."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.accounts.models import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from app.accounts.service import MIN_PASSWORD_LENGTH
from app.core.database import utcnow
from app.core.timezones import canonical_equivalent, canonical_timezones, grouped_timezones
from app.core.web.form_messages import length
from app.core.web.forms import WebForm
from app.core.web.validators import (
    known_timezone,
    no_control_characters,
    single_line,
    strip_whitespace,
)

PASSWORD_MAX_LENGTH = 200


CURRENT_ZONE_GROUP = "Your current zone"


class TimezoneField(SelectField):
    """Canonical zones grouped by region. A person whose stored zone is an alias sees its
    canonical twin chosen (same rules: saving moves them to it), or, if it has none, their
    own zone kept as the first choice, so saving the page never changes their clock."""

    def __init__(self, label: str = "Timezone", **kwargs: Any) -> None:
        super().__init__(
            label,
            validators=[known_timezone],
            description="Type a city's name to jump to it.",
            render_kw={"data-zone-picker": ""},
            **kwargs,
        )

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        kept = self.object_data if isinstance(self.object_data, str) else None
        if formdata is None and kept and kept not in canonical_timezones():
            self.data = canonical_equivalent(kept) or kept
        groups: dict[str, list[tuple[str, str]]] = {}
        if kept and canonical_equivalent(kept) is None:
            groups[CURRENT_ZONE_GROUP] = [(kept, kept.replace("_", " "))]
        self.choices = {**groups, **grouped_timezones(utcnow())}

    def pre_validate(self, form: FlaskForm) -> None:
        allowed = set(canonical_timezones())
        if isinstance(self.object_data, str):
            allowed.add(self.object_data)
        if self.data not in allowed:
            raise ValidationError("Choose a timezone from the list, such as Europe/Berlin.")


def password_length() -> Length:
    """One rule and one message for every new password: registering, resetting, changing."""
    return length(PASSWORD_MAX_LENGTH, MIN_PASSWORD_LENGTH)


def _name_field() -> StringField:
    return StringField(
        "Name",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Tell us your name."),
            length(NAME_MAX_LENGTH, what="your name"),
            no_control_characters,
            single_line,
        ],
    )


class RegisterForm(WebForm):
    name = _name_field()
    email = EmailField(
        "Email",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter your email address."),
            length(EMAIL_MAX_LENGTH, what="the address"),
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Choose a password."),
            password_length(),
        ],
    )
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", "The two passwords differ.")]
    )
    timezone = TimezoneField()


class LoginForm(WebForm):
    # Checked before the lookup: PostgreSQL refuses a NUL in a query, which would be a 500.
    email = EmailField(
        "Email",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter your email address."),
            length(EMAIL_MAX_LENGTH, what="the address"),
            no_control_characters,
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me logged in")


class ProfileForm(WebForm):
    name = _name_field()
    timezone = TimezoneField()


class ForgotPasswordForm(WebForm):
    email = EmailField(
        "Email",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter your email address."),
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )


class ResetPasswordForm(WebForm):
    new_password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a new password."),
            password_length(),
        ],
    )
    confirm = PasswordField(
        "Repeat new password", validators=[EqualTo("new_password", "The two passwords differ.")]
    )


class PasswordChangeForm(ResetPasswordForm):
    """A new password, proven by the current one."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
