"""Validators and fields that speak in Tickler's voice: every message a form shows is made here
or written beside its field, never WTForms' default text ("Field must be between ...").

Messages are put into words when a form is checked, in the reader's language: the fields and
validators are built once, at import, when no language is known yet."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    ValidationError,
)
from wtforms.form import BaseForm
from wtforms.validators import Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.i18n import current_language


class _Length(Length):
    """WTForms' Length, with a message written when it is shown."""

    def __init__(self, min: int, max: int, what: Any) -> None:
        super().__init__(min=min, max=max)
        self.what = what

    def __call__(self, form: BaseForm, field: Field) -> None:
        size = len(field.data) if field.data else 0
        if size >= self.min and (self.max == -1 or size <= self.max):
            return
        raise ValidationError(self.words())

    def words(self) -> str:
        if self.min > 0 and self.max > 0:
            return gettext(
                "Use between %(min)d and %(max)d characters.", min=self.min, max=self.max
            )
        if self.min > 0:
            return ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", self.min
            )
        # TRANSLATORS: %(what)s names what is typed, as the object of the sentence: "your name".
        return ngettext(
            "Keep %(what)s to %(num)d character or fewer.",
            "Keep %(what)s to %(num)d characters or fewer.",
            self.max,
            what=str(self.what) if self.what is not None else gettext("it"),
        )


def length(max: int, min: int = -1, *, what: Any = None) -> Length:
    """A length check whose message says the limit the way a person would. `what` (a
    lazy_gettext phrase such as "your name") is the object of "Keep ... to N characters"."""
    return _Length(min=min, max=max, what=what)


class _NumberRange(NumberRange):
    def __init__(self, low: int, high: int, what: Any) -> None:
        super().__init__(low, high)
        self.what = what

    def __call__(self, form: BaseForm, field: Field) -> None:
        data = field.data
        if data is not None and self.min <= data <= self.max:
            return
        raise ValidationError(
            # TRANSLATORS: %(what)s names the number chosen, as an object: "the minutes".
            gettext(
                "Choose %(what)s from %(low)s to %(high)s.",
                what=str(self.what),
                low=self.min,
                high=self.max,
            )
        )


def number_between(low: int, high: int, what: Any) -> NumberRange:
    return _NumberRange(low, high, what)


def _from_the_list(label: Any, invalid: Any, with_article: bool) -> str:
    """The message for a value not on a list: `invalid` if the field has its own words."""
    if invalid is not None:
        return str(invalid)
    name = str(label)
    # English lowercases the label inside the sentence; other languages keep it as written
    # (German nouns are capitalised) and quote it.
    if current_language() == "en":
        name = name.lower()
    if with_article:
        return gettext("Choose the %(field)s from the list.", field=name)
    return gettext("Choose %(field)s from the list.", field=name)


class _NamesItsList:
    """A field whose refusal of a value not on its list names the list, in the reader's
    language (`invalid` gives the whole sentence instead)."""

    _with_article = True

    def __init__(self, label: Any, *, invalid: Any = None, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)  # type: ignore[call-arg]  # the field class's
        self._label_text = label
        self._invalid = invalid

    @property
    def invalid_message(self) -> str:
        return _from_the_list(self._label_text, self._invalid, with_article=self._with_article)

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)  # type: ignore[misc]  # the field class's
        except ValidationError:
            raise ValidationError(self.invalid_message) from None


class ChoiceField(_NamesItsList, SelectField):
    """A list to choose from; a value not on it gets a message naming the list."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


class CheckboxesField(_NamesItsList, SelectMultipleField):
    """Checkboxes to tick several of; a value not on the list gets a message naming it."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
    _with_article = False


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a whole number, such as 15.")) from None


class DayField(DateField):
    """A calendar day, from <input type=date> or typed as 2026-12-24."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a date such as 2026-12-24.")) from None
