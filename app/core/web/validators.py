"""Field checks shared by several forms."""

from __future__ import annotations

import re

from flask_babel import gettext
from wtforms import Field, Form, ValidationError

from app.core.timezones import is_valid_timezone

# C0 controls other than tab/newline, DEL and C1: they break headers, logs and terminals.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A one-line field (a name, a title) also refuses tabs: in a Subject, a display name or a
# table cell a tab is a gap nobody typed on purpose, and some mail clients show it raw.
_NOT_ONE_LINE = re.compile(r"[\t\r\n\u2028\u2029]")


def no_control_characters(form: Form, field: Field) -> None:
    if field.data and _CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(gettext("Remove the invisible control characters from this field."))


def single_line(form: Form, field: Field) -> None:
    if field.data and _NOT_ONE_LINE.search(field.data):
        raise ValidationError(gettext("This field must fit on one line, without tabs."))


def known_timezone(form: Form, field: Field) -> None:
    if not is_valid_timezone(field.data or ""):
        raise ValidationError(gettext("Choose a timezone from the list, such as Europe/Berlin."))


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
