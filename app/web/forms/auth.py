"""Forms for registering, logging in and keeping a profile."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.models.user import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from app.services.accounts import MIN_PASSWORD_LENGTH
from app.services.timezones import timezone_names
from app.web.forms.base import WebForm
from app.web.forms.validators import (
    known_timezone,
    no_control_characters,
    single_line,
    strip_whitespace,
)

PASSWORD_MAX_LENGTH = 200


def _timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]


class TimezoneField(SelectField):
    def __init__(self, label: str = "Timezone", **kwargs: Any) -> None:
        super().__init__(label, validators=[known_timezone], validate_choice=False, **kwargs)

    def pre_validate(self, form: FlaskForm) -> None:
        self.choices = _timezone_choices()


def _name_field() -> StringField:
    return StringField(
        "Name",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Tell us your name."),
            Length(max=NAME_MAX_LENGTH),
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
            Length(max=EMAIL_MAX_LENGTH),
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=f"Use between {MIN_PASSWORD_LENGTH} and {PASSWORD_MAX_LENGTH} characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", "The two passwords differ.")]
    )
    timezone = TimezoneField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()


class LoginForm(WebForm):
    # Checked before the lookup: PostgreSQL refuses a NUL in a query, which would be a 500.
    email = EmailField(
        "Email",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=EMAIL_MAX_LENGTH, message="That is longer than any email address here."),
            no_control_characters,
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me logged in")


class ProfileForm(WebForm):
    name = _name_field()
    timezone = TimezoneField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()


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
            Length(min=MIN_PASSWORD_LENGTH, max=PASSWORD_MAX_LENGTH),
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
