"""Reading a task list's filters and sort from query parameters."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict

from app.core.web.converters import MAX_ID
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import SORTS, TaskFilters


def _enum_values(values: list[str], enum_class: type, ignored: list[str]) -> tuple:
    chosen = []
    for value in values:
        try:
            chosen.append(enum_class(value))
        except ValueError:
            ignored.append(value)
    return tuple(dict.fromkeys(chosen))


def _label_ids(values: list[str], ignored: list[str]) -> tuple[int, ...]:
    chosen = []
    for value in values:
        if value.isdigit() and int(value) <= MAX_ID:
            chosen.append(int(value))
        else:
            ignored.append(value)
    return tuple(dict.fromkeys(chosen))


def parse_filters(args: MultiDict[str, str] | Mapping[str, str]) -> tuple[TaskFilters, list[str]]:
    """Filters from the query string, and the values that made no sense (to tell the person)."""
    getlist = (
        args.getlist
        if isinstance(args, MultiDict)
        else lambda key: [args[key]] if key in args else []
    )
    ignored: list[str] = []
    statuses = _enum_values([v for v in getlist("status") if v], TaskStatus, ignored)
    priorities = _enum_values([v for v in getlist("priority") if v], TaskPriority, ignored)
    assignee = (args.get("assignee") or "").strip()
    assignee_id, unassigned = None, False
    if assignee == "none":
        unassigned = True
    elif assignee.isdigit() and int(assignee) <= MAX_ID:
        assignee_id = int(assignee)
    elif assignee:
        ignored.append(assignee)
    sort = args.get("sort") or "due"
    if sort not in SORTS:
        ignored.append(sort)
        sort = "due"
    label_ids = _label_ids([v for v in getlist("label") if v], ignored)
    filters = TaskFilters(statuses, priorities, assignee_id, unassigned, sort, label_ids)
    return filters, ignored
