"""Reading a task list's filters and sort from query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import format_decimal, gettext, ngettext
from werkzeug.datastructures import MultiDict

from app.core.web.converters import parse_id
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import SORTS, TaskFilters

# More labels than this in one filter is a mistake or an attack: each is a bind parameter in
# the list's and the export's query (PostgreSQL allows 65,535), and the export stores them all.
MAX_LABELS = 50
# Unknown values named back to the person; the rest are counted ("and 9,995 more"), since a
# flash message lives in the session cookie.
SHOWN_IGNORED = 5


@dataclass
class Ignored:
    """Filter values that were not used: the first few unknown ones, how many more unknown
    ones there were, and how many labels came past MAX_LABELS."""

    values: list[str] = field(default_factory=list)
    more: int = 0
    labels_over_limit: int = 0

    def append(self, value: str) -> None:
        if len(self.values) < SHOWN_IGNORED:
            self.values.append(value)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.values or self.labels_over_limit)

    @property
    def unknown(self) -> str:
        """'a, b, c, d, e and 12 more': the unknown values, for a message."""
        shown = ", ".join(self.values)
        if not self.more:
            return shown
        return ngettext(
            "%(values)s and %(count)s more",
            "%(values)s and %(count)s more",
            self.more,
            values=shown,
            count=format_decimal(self.more),
        )

    def messages(self) -> list[str]:
        """What the person is told: values not understood, labels over the limit."""
        said = []
        if self.values:
            said.append(
                gettext("Ignored filter values we do not know: %(values)s.", values=self.unknown)
            )
        if self.labels_over_limit:
            said.append(label_limit_message(self.labels_over_limit))
        return said


def label_limit_message(over: int) -> str:
    return ngettext(
        "Only the first %(max)d labels are used; %(num)d more was left out.",
        "Only the first %(max)d labels are used; %(num)d more were left out.",
        over,
        max=MAX_LABELS,
    )


def _enum_values(values: list[str], enum_class: type, ignored: Ignored) -> tuple:
    chosen = []
    for value in values:
        try:
            chosen.append(enum_class(value))
        except ValueError:
            ignored.append(value)
    return tuple(dict.fromkeys(chosen))


def _label_ids(values: list[str], ignored: Ignored) -> tuple[int, ...]:
    chosen = []
    for value in values:
        label_id = parse_id(value)
        if label_id is None:
            ignored.append(value)
        else:
            chosen.append(label_id)
    return tuple(dict.fromkeys(chosen))


def parse_filters(args: MultiDict[str, str] | Mapping[str, str]) -> tuple[TaskFilters, Ignored]:
    """Filters from the query string, and the values that made no sense or went past a limit
    (to tell the person)."""
    getlist = (
        args.getlist
        if isinstance(args, MultiDict)
        else lambda key: [args[key]] if key in args else []
    )
    ignored = Ignored()
    statuses = _enum_values([v for v in getlist("status") if v], TaskStatus, ignored)
    priorities = _enum_values([v for v in getlist("priority") if v], TaskPriority, ignored)
    assignee = (args.get("assignee") or "").strip()
    assignee_id, unassigned = None, False
    if assignee == "none":
        unassigned = True
    elif parse_id(assignee) is not None:
        assignee_id = parse_id(assignee)
    elif assignee:
        ignored.append(assignee)
    sort = args.get("sort") or "due"
    if sort not in SORTS:
        ignored.append(sort)
        sort = "due"
    labels = [v for v in getlist("label") if v]
    ignored.labels_over_limit = max(0, len(labels) - MAX_LABELS)
    label_ids = _label_ids(labels[:MAX_LABELS], ignored)
    filters = TaskFilters(statuses, priorities, assignee_id, unassigned, sort, label_ids)
    return filters, ignored
