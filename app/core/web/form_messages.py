"""Validators and fields that speak in Tickler's voice: every message a form shows is made here
or written beside its field, never WTForms' default text ("Field must be between ...")."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, ValidationError
from wtforms.validators import Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget


def length(max: int, min: int = -1, *, what: str = "it") -> Length:
    """A length check whose message says the limit the way a person would."""
    if min > 0 and max > 0:
        message = f"Use between {min} and {max} characters."
    elif min > 0:
        message = f"Use at least {min} characters."
    else:
        message = f"Keep {what} to {max} characters or fewer."
    return Length(min=min, max=max, message=message)


def number_between(low: int, high: int, what: str) -> NumberRange:
    return NumberRange(low, high, f"Choose {what} from {low} to {high}.")


class ChoiceField(SelectField):
    """A list to choose from; a value not on it gets a message naming the list."""

    def __init__(self, label: str, *, invalid: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.invalid_message = invalid or f"Choose the {label.lower()} from the list."

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.invalid_message) from None

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


class CheckboxesField(SelectMultipleField):
    """Checkboxes to tick several of; a value not on the list gets a message naming it."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, *, invalid: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.invalid_message = invalid or f"Choose {label.lower()} from the list."

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.invalid_message) from None


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a whole number, such as 15.") from None


class DayField(DateField):
    """A calendar day, from <input type=date> or typed as 2026-12-24."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a date such as 2026-12-24.") from None
