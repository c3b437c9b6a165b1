"""Pure label rules: the color palette, what a good name is, and what a change of a task's
labels added and removed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import LazyString, gettext, lazy_gettext

from app.labels.colors import is_hex_color
from app.labels.models import LABEL_NAME_MAX_LENGTH

# Presets a person picks with one click; each meets 4.5:1 with the text color chosen for it
# (tests/labels/test_rules.py checks), so a chip stays readable without a thought.
PRESETS: dict[str, LazyString] = {  # color: its name, translated when shown
    "#3b6ea8": lazy_gettext("Blue"),
    "#2e7d32": lazy_gettext("Green"),
    "#b3261e": lazy_gettext("Red"),
    "#8e44ad": lazy_gettext("Purple"),
    "#a35200": lazy_gettext("Orange"),
    "#00695c": lazy_gettext("Teal"),
    "#ad1457": lazy_gettext("Pink"),
    "#555555": lazy_gettext("Gray"),
    "#f9d94a": lazy_gettext("Yellow"),
    "#9fd8f5": lazy_gettext("Sky"),
}


class LabelNameError(ValueError):
    """A label name that cannot be stored; the message says why, for the person."""


def clean_name(raw: str) -> str:
    """The name as stored: NFC, inner whitespace runs collapsed to one space, trimmed;
    LabelNameError when empty, too long or holding control characters."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not name:
        raise LabelNameError(gettext("Give the label a name."))
    if len(name) > LABEL_NAME_MAX_LENGTH:
        raise LabelNameError(
            gettext(
                "Keep the label name to %(max)d characters or fewer.", max=LABEL_NAME_MAX_LENGTH
            )
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise LabelNameError(gettext("The label name cannot hold control characters."))
    return name


def name_key(name: str) -> str:
    """What two names are compared by: "Ops" and "ops" are the same label."""
    return name.casefold()


def is_taken(name: str, others: Iterable[str]) -> bool:
    key = name_key(name)
    return any(name_key(other) == key for other in others)


def clean_color(raw: str) -> str:
    """ "#rrggbb" in lower case; ValueError for anything else."""
    color = (raw or "").strip().lower()
    if not is_hex_color(color):
        raise ValueError(gettext("Choose a color, as #rrggbb."))
    return color


@dataclass(frozen=True)
class LabelChange:
    """The names a task gained and lost, each sorted; empty when nothing changed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def label_change(before: dict[int, str], after: dict[int, str]) -> LabelChange:
    """From the task's labels before and after ({id: name}), what was added and removed."""
    added = sorted((after[i] for i in after.keys() - before.keys()), key=name_key)
    removed = sorted((before[i] for i in before.keys() - after.keys()), key=name_key)
    return LabelChange(tuple(added), tuple(removed))


def chips_text(names: Iterable[str]) -> str:
    """Labels in a plain-text email: "[ops] [bug]"."""
    return " ".join(f"[{name}]" for name in names)
