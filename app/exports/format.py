"""Pure rules for export files: columns, one task's cells, and formula-injection neutralising."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext

from app.core.timezones import to_local

COLUMNS = (
    "id",
    "title",
    "status",
    "priority",
    "project",
    "assignee",
    "due",
    "created",
    "completed",
    "description",
    "labels",
)
# The header row people read, in the language the file is written in. The English is COLUMNS
# itself (programs read English files by these names); other languages translate each one.
COLUMN_HEADERS = (
    lazy_gettext("id"),
    lazy_gettext("title"),
    lazy_gettext("status"),
    lazy_gettext("priority"),
    lazy_gettext("project"),
    lazy_gettext("assignee"),
    lazy_gettext("due"),
    lazy_gettext("created"),
    lazy_gettext("completed"),
    lazy_gettext("description"),
    lazy_gettext("labels"),
)
# A spreadsheet reads a cell starting with one of these as a formula (or the start of one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class TaskRow:
    """The columns of one exported task, as read from the database."""

    id: int
    title: str
    status: str
    priority: str
    project: str
    assignee: str | None
    due_at: datetime | None
    created_at: datetime
    completed_at: datetime | None
    description: str
    # The task's label names, by name; one cell joined with ", ".
    labels: tuple[str, ...] = ()


def neutralise_cell(value: str) -> str:
    """A text cell that no spreadsheet will evaluate: NULs dropped, formula starts quoted."""
    value = value.replace("\x00", "")
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold; it is written with write_string, so it is never a formula."""
    return _XML_ILLEGAL.sub("", value)


def local_iso(moment: datetime | None, timezone_name: str) -> str:
    """An ISO 8601 timestamp in the person's timezone, with its offset; empty for none."""
    if moment is None:
        return ""
    return to_local(moment, timezone_name).replace(microsecond=0).isoformat()


def local_naive(moment: datetime | None, timezone_name: str) -> datetime | None:
    """Wall-clock time in the person's timezone, for a spreadsheet's date cells."""
    if moment is None:
        return None
    return to_local(moment, timezone_name).replace(tzinfo=None, microsecond=0)


def csv_cells(row: TaskRow, timezone_name: str) -> list[str | int]:
    """One CSV line's cells, dates in the person's timezone, every text cell neutralised."""
    return [
        row.id,
        neutralise_cell(row.title),
        row.status,
        row.priority,
        neutralise_cell(row.project),
        neutralise_cell(row.assignee or ""),
        local_iso(row.due_at, timezone_name),
        local_iso(row.created_at, timezone_name),
        local_iso(row.completed_at, timezone_name),
        neutralise_cell(row.description),
        neutralise_cell(labels_cell(row.labels)),
    ]


def header_row() -> list[str]:
    """The column headers in the current language (English: exactly COLUMNS)."""
    return [str(header) for header in COLUMN_HEADERS]


def labels_cell(names: tuple[str, ...]) -> str:
    return ", ".join(names)
