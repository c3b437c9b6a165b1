"""The base of every form: a browser's form post, never a JSON body read as one."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms import Field, StringField


class WebForm(FlaskForm):
    """Flask-WTF reads a JSON body as the form when no form fields were posted; a JSON list,
    string or number there, or a number where text belongs, then fails as a 500. Tickler's forms
    are HTML forms: a JSON body gives them an empty form, so each field says what it needs."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if has_request_context() and request.is_json and not request.form:
                formdata = request.form
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate, then write each message out in the current language: a validator's
        lazy_gettext text is a LazyString, which a flash (stored in the session) cannot keep."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.errors, list):
                field.errors = [
                    str(error) if isinstance(error, LazyString) else error for error in field.errors
                ]
        return valid


def entered(field: StringField) -> str:
    """The text of a field its DataRequired validator has passed. WTForms types `data` as
    `str | None` (None when nothing was posted), so reading it before validating is a bug."""
    if field.data is None:
        raise ValueError(f"{field.name} has no data: the form was not validated")  # i18n: internal
    return field.data


def add_error(field: Field, message: str) -> None:
    """Show a service's refusal under the field, as a validator's would be shown.

    WTForms holds `errors` in a list once the field was validated (a tuple before that)."""
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(message)
