"""marshmallow's field messages ("Missing data for required field.") in the request's language.

marshmallow writes its messages in English when a field fails, already formatted ("Length must
be between 1 and 200."). Before a 422 goes out, each message it knows is looked up here, its
values read back out of it, and written again as a whole translated sentence with the same
values; a message not listed here (one of ours, already translated) goes through unchanged."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# marshmallow's message (its English, exactly) -> ours.
FIXED: dict[str, LazyString] = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Unknown field.": _l("Unknown field."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid input.": _l("Invalid input."),
    "Invalid value.": _l("Invalid value."),
    "Invalid type.": _l("Invalid type."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid UTF-8 string."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid tuple.": _l("Not a valid tuple."),
    "Not a valid mapping type.": _l("Not a valid object."),
    "Not a valid URL.": _l("Not a valid URL."),
    "Not a valid UUID.": _l("Not a valid UUID."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid date-time."),
    "Not a valid aware datetime.": _l("Not a valid date-time with a time zone offset."),
    "Not a valid naive datetime.": _l("Not a valid date-time without a time zone offset."),
    "Not a valid time.": _l("Not a valid time."),
    "Not a valid period of time.": _l("Not a valid period of time."),
    "Number too large.": _l("Number too large."),
    "Special numeric values (nan or infinity) are not permitted.": _l(
        "Special numeric values (nan or infinity) are not permitted."
    ),
    "String does not match expected pattern.": _l("String does not match expected pattern."),
}

# marshmallow's message with its values as {name} -> ours with them as %(name)s.
WITH_VALUES: tuple[tuple[str, LazyString], ...] = (
    ("Length must be between {min} and {max}.", _l("Length must be between %(min)s and %(max)s.")),
    ("Length must be {equal}.", _l("Length must be %(equal)s.")),
    ("Shorter than minimum length {min}.", _l("Shorter than minimum length %(min)s.")),
    ("Longer than maximum length {max}.", _l("Longer than maximum length %(max)s.")),
    ("Must be one of: {choices}.", _l("Must be one of: %(choices)s.")),
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        _l("Must be from %(min)s to %(max)s."),
    ),
    ("Must be greater than or equal to {min}.", _l("Must be %(min)s or more.")),
    ("Must be less than or equal to {max}.", _l("Must be %(max)s or less.")),
    ("Must be greater than {min}.", _l("Must be more than %(min)s.")),
    ("Must be less than {max}.", _l("Must be less than %(max)s.")),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.S)


PATTERNS = tuple((_pattern(template), ours) for template, ours in WITH_VALUES)


def translated(message: str) -> str:
    """One marshmallow message in the current language (unknown ones unchanged)."""
    if message in FIXED:
        return str(FIXED[message])
    for pattern, ours in PATTERNS:
        found = pattern.match(message)
        if found:
            return str(ours) % found.groupdict()
    return message


def translate_messages(messages: Any) -> Any:
    """webargs' {"json": {"title": ["..."], "labels": {0: ["..."]}}} with every message
    translated, the field names and nesting kept."""
    if isinstance(messages, str):
        return translated(messages)
    if isinstance(messages, Mapping):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_messages(item) for item in messages]
    return messages
