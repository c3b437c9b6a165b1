"""Forms for registering, logging in and keeping a profile."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
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
from app.core.i18n import is_language, language_choices
from app.core.timezones import canonical_equivalent, canonical_timezones, grouped_timezones
from app.core.web.form_messages import ChoiceField, length
from app.core.web.forms import WebForm
from app.core.web.validators import (
    known_timezone,
    no_control_characters,
    single_line,
    strip_whitespace,
)

PASSWORD_MAX_LENGTH = 200


# The optgroup of a zone kept from before (translated where the list is built).
CURRENT_ZONE_GROUP = _l("Your current zone")


class TimezoneField(SelectField):
    """Canonical zones grouped by region. A person whose stored zone is an alias sees its
    canonical twin chosen (same rules: saving moves them to it), or, if it has none, their
    own zone kept as the first choice, so saving the page never changes their clock."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(
            label or _l("Timezone"),
            validators=[known_timezone],
            description=_l("Type a city's name to jump to it."),
            # app/static/app.js adds a filter box above the list, with these words.
            render_kw={
                "data-zone-picker": "",
                "data-filter-placeholder": _l("Filter: a city or region, e.g. Berlin"),
                "data-filter-label": _l("Filter the timezone list"),
            },
            **kwargs,
        )

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        kept = self.object_data if isinstance(self.object_data, str) else None
        if formdata is None and kept and kept not in canonical_timezones():
            self.data = canonical_equivalent(kept) or kept
        groups: dict[str, list[tuple[str, str]]] = {}
        if kept and canonical_equivalent(kept) is None:
            groups[str(CURRENT_ZONE_GROUP)] = [(kept, kept.replace("_", " "))]
        self.choices = {**groups, **grouped_timezones(utcnow())}

    def pre_validate(self, form: FlaskForm) -> None:
        allowed = set(canonical_timezones())
        if isinstance(self.object_data, str):
            allowed.add(self.object_data)
        if self.data not in allowed:
            raise ValidationError(
                gettext("Choose a timezone from the list, such as Europe/Berlin.")
            )


def password_length() -> Length:
    """One rule and one message for every new password: registering, resetting, changing."""
    return length(PASSWORD_MAX_LENGTH, MIN_PASSWORD_LENGTH)


def _name_field() -> StringField:
    return StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Tell us your name.")),
            length(NAME_MAX_LENGTH, what=_l("your name")),
            no_control_characters,
            single_line,
        ],
    )


class RegisterForm(WebForm):
    name = _name_field()
    email = EmailField(
        _l("Email"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Enter your email address.")),
            length(EMAIL_MAX_LENGTH, what=_l("the address")),
            Email(_l("That does not look like an email address."), check_deliverability=False),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            password_length(),
        ],
    )
    confirm = PasswordField(
        _l("Repeat password"), validators=[EqualTo("password", _l("The two passwords differ."))]
    )
    timezone = TimezoneField()


class LoginForm(WebForm):
    # Checked before the lookup: PostgreSQL refuses a NUL in a query, which would be a 500.
    email = EmailField(
        _l("Email"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Enter your email address.")),
            length(EMAIL_MAX_LENGTH, what=_l("the address")),
            no_control_characters,
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me logged in"))


class LanguageField(ChoiceField):
    """The languages Tickler is written in, each named in itself (app/core/i18n.py)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            _l("Language"),
            invalid=_l("Choose a language from the list."),
            description=_l("Pages and emails are written in it."),
            **kwargs,
        )

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.choices = language_choices()
        super().process(formdata, data, extra_filters)

    def pre_validate(self, form: FlaskForm) -> None:
        if not is_language(self.data):
            raise ValidationError(str(self.invalid_message))


class ProfileForm(WebForm):
    name = _name_field()
    timezone = TimezoneField()
    language = LanguageField()


class ForgotPasswordForm(WebForm):
    email = EmailField(
        _l("Email"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("That does not look like an email address."), check_deliverability=False),
        ],
    )


class ResetPasswordForm(WebForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a new password.")),
            password_length(),
        ],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("new_password", _l("The two passwords differ."))],
    )


class PasswordChangeForm(ResetPasswordForm):
    """A new password, proven by the current one."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
