"""Pure rules of a task's history: which rows an event makes, and the sentence a row reads as."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask_babel import gettext, lazy_gettext, ngettext

from app.core.events import TaskSnapshot
from app.core.timezones import format_local
from app.core.web.markdown import plain_text
from app.tasklist.models import TaskPriority, TaskStatus

SYSTEM_ACTOR = "Tickler"
EXCERPT_LENGTH = 140
# The order a multi-field edit is told in: what a reader looks for first.
FIELD_ORDER = ("title", "status", "assignee_id", "due_at", "priority", "description")

CREATED, CHANGED, LABELS, COMMENTED = "created", "changed", "labels", "commented"
DELETED, RESTORED, ARCHIVED, UNARCHIVED = "deleted", "restored", "archived", "unarchived"
# Whole sentences with the person in them (word order differs between languages), rendered
# when a page shows them, in its viewer's language, from the row's stored values.
PLAIN_SENTENCES = {
    CREATED: lazy_gettext("%(actor)s created the task"),
    DELETED: lazy_gettext("%(actor)s moved it to the Trash"),
    RESTORED: lazy_gettext("%(actor)s restored it from the Trash"),
    ARCHIVED: lazy_gettext("%(actor)s archived it"),
    UNARCHIVED: lazy_gettext("%(actor)s brought it back from the archive"),
}


@dataclass(frozen=True)
class Draft:
    """One history row to write, without who and when (the subscriber adds those)."""

    kind: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    old_id: int | None = None
    new_id: int | None = None


class Entry(Protocol):
    """What a sentence is made from: a TaskActivity row, or anything shaped like one."""

    @property
    def actor_name(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def old_value(self) -> str | None: ...
    @property
    def new_value(self) -> str | None: ...


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Text on one line, cut at a word with an ellipsis when longer than `length`."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0] or flat[: length - 1]
    return cut + "…"


def change_drafts(
    before: TaskSnapshot,
    after: TaskSnapshot,
    changed: frozenset[str],
    names: Mapping[int, str],
) -> list[Draft]:
    """One row per changed field, in FIELD_ORDER; `names` has the assignees' names now."""
    return [
        _field_draft(field, getattr(before, field), getattr(after, field), names)
        for field in FIELD_ORDER
        if field in changed
    ]


def _field_draft(field: str, old: object, new: object, names: Mapping[int, str]) -> Draft:
    if field == "description":
        # The text itself stays on the task; the history says that it changed, not to what.
        return Draft(CHANGED, field)
    if field == "assignee_id":
        old_id, new_id = _int_or_none(old), _int_or_none(new)
        return Draft(CHANGED, field, _name(old_id, names), _name(new_id, names), old_id, new_id)
    if field == "due_at":
        return Draft(CHANGED, field, _iso(old), _iso(new))
    return Draft(CHANGED, field, _text(old), _text(new))


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _name(user_id: int | None, names: Mapping[int, str]) -> str | None:
    if user_id is None:
        return None
    return names.get(user_id, "a former member")


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _text(value: object) -> str | None:
    return None if value is None else excerpt(str(value), 200)


def label_draft(added: Sequence[str], removed: Sequence[str]) -> Draft | None:
    """The row of a label change, names as JSON lists; None when nothing changed."""
    if not added and not removed:
        return None
    return Draft(LABELS, None, json.dumps(list(removed)), json.dumps(list(added)))


def comment_draft(comment_id: int, body: str) -> Draft:
    """A comment's row: its first words without Markdown's marks, and its id to link to it."""
    return Draft(COMMENTED, None, None, excerpt(plain_text(body)), None, comment_id)


def sentence(entry: Entry, timezone: str) -> str:
    """What a row says to a person: "Ann moved it from Pending to In progress"; in the current
    language (the viewer's, rendered when shown), times in `timezone`, the viewer's."""
    actor = entry.actor_name or SYSTEM_ACTOR
    if entry.kind in PLAIN_SENTENCES:
        return str(PLAIN_SENTENCES[entry.kind]) % {"actor": actor}
    if entry.kind == LABELS:
        return _labels_sentence(actor, _names(entry.new_value), _names(entry.old_value))
    if entry.kind == COMMENTED:
        return gettext(
            "%(actor)s commented: “%(excerpt)s”", actor=actor, excerpt=entry.new_value or ""
        )
    return _change_sentence(actor, entry, timezone)


def _change_sentence(actor: str, entry: Entry, timezone: str) -> str:
    old, new = entry.old_value, entry.new_value
    if entry.field == "description":
        return gettext("%(actor)s edited the description", actor=actor)
    if entry.field == "title":
        return gettext(
            "%(actor)s renamed it from “%(old)s” to “%(new)s”", actor=actor, old=old, new=new
        )
    if entry.field == "status":
        return gettext(
            "%(actor)s moved it from %(old)s to %(new)s",
            actor=actor,
            old=_status_word(old),
            new=_status_word(new),
        )
    if entry.field == "priority":
        return gettext(
            "%(actor)s changed the priority from %(old)s to %(new)s",
            actor=actor,
            old=_priority_word(old),
            new=_priority_word(new),
        )
    if entry.field == "assignee_id":
        return _assignee_sentence(actor, old, new)
    if entry.field == "due_at":
        return _due_sentence(actor, _when(old, timezone), _when(new, timezone))
    return gettext("%(actor)s changed the task", actor=actor)


def _assignee_sentence(actor: str, old: str | None, new: str | None) -> str:
    if old is None:
        return gettext("%(actor)s assigned it to %(new)s", actor=actor, new=new)
    if new is None:
        return gettext("%(actor)s unassigned %(old)s", actor=actor, old=old)
    return gettext("%(actor)s reassigned it from %(old)s to %(new)s", actor=actor, old=old, new=new)


def _due_sentence(actor: str, old: str | None, new: str | None) -> str:
    if old is None:
        return gettext("%(actor)s set the due date to %(new)s", actor=actor, new=new)
    if new is None:
        return gettext("%(actor)s removed the due date (was %(old)s)", actor=actor, old=old)
    return gettext(
        "%(actor)s changed the due date from %(old)s to %(new)s", actor=actor, old=old, new=new
    )


def _word(value: str | None) -> str:
    """'in_progress' as the pages show it: 'In progress' (a value no label names)."""
    return (value or gettext("none")).replace("_", " ").capitalize()


def _status_word(value: str | None) -> str:
    try:
        return TaskStatus(value).label if value else _word(value)
    except ValueError:
        return _word(value)


def _priority_word(value: str | None) -> str:
    try:
        return TaskPriority(value).label if value else _word(value)
    except ValueError:
        return _word(value)


def _when(value: str | None, timezone: str) -> str | None:
    if value is None:
        return None
    return format_local(datetime.fromisoformat(value), timezone, with_zone=False)


def _names(value: str | None) -> list[str]:
    return list(json.loads(value)) if value else []


def _labels_sentence(actor: str, added: list[str], removed: list[str]) -> str:
    if added and removed:
        return gettext(
            "%(actor)s added %(added)s and removed %(removed)s",
            actor=actor,
            added=_label_words(added),
            removed=_label_words(removed),
        )
    if added:
        return gettext("%(actor)s added %(added)s", actor=actor, added=_label_words(added))
    if removed:
        return gettext("%(actor)s removed %(removed)s", actor=actor, removed=_label_words(removed))
    return gettext("%(actor)s changed the labels", actor=actor)


def _label_words(names: list[str]) -> str:
    return ngettext("the label %(names)s", "the labels %(names)s", len(names), names=joined(names))


def joined(words: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(words) <= 1:
        return "".join(words)
    return gettext("%(first)s and %(last)s", first=gettext(", ").join(words[:-1]), last=words[-1])
