"""Reading search's filters from the query string: pure, the person's zone given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext

from app.core.timezones import local_to_utc
from app.core.web.converters import parse_id
from app.tasklist.models import TaskStatus

LABEL_NAME_LIMIT = 40
YEARS = range(1900, 9000)


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search; every field already checked. The due range is in UTC: from the
    start of `due_from`'s day to the end of `due_to`'s day, in the person's zone."""

    project_id: int | None = None
    statuses: tuple[TaskStatus, ...] = ()
    assignee_id: int | None = None
    unassigned: bool = False
    label: str = ""
    due_from: date | None = None
    due_to: date | None = None
    due_after: datetime | None = None
    due_before: datetime | None = None
    include_archived: bool = False

    @property
    def any_set(self) -> bool:
        return self != SearchFilters()


def _date(text: str, problem: Callable[[str], str], problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    # Far years would overflow when moved between zones; no due date is that far.
    if day is None or not YEARS.start <= day.year < YEARS.stop:
        problems.append(problem(repr(text[:20])))
        return None
    return day


def _not_a_from_date(value: str) -> str:
    return gettext("From %(value)s is not a date like 2026-12-31; it was left out.", value=value)


def _not_a_to_date(value: str) -> str:
    return gettext("To %(value)s is not a date like 2026-12-31; it was left out.", value=value)


def _id(text: str) -> int | None:
    return parse_id(text)


def parse_search_filters(
    get: Callable[[str], str | None],
    getlist: Callable[[str], list[str]],
    user_id: int,
    timezone_name: str,
) -> tuple[SearchFilters, list[str]]:
    """The filters, and a sentence for each value that made no sense (left out, never a 500).
    `assignee` is "me", "none" or a person's id; dates are YYYY-MM-DD in the person's zone."""
    problems: list[str] = []
    project_text = (get("project") or "").strip()
    project_id = _id(project_text)
    if project_text and project_id is None:
        problems.append(
            gettext(
                "Project %(value)s is not one of yours; it was left out.",
                value=repr(project_text[:20]),
            )
        )
    statuses = []
    for value in getlist("status"):
        try:
            statuses.append(TaskStatus(value))
        except ValueError:
            problems.append(
                gettext(
                    "Status %(value)s is not a task status; it was left out.",
                    value=repr(value[:20]),
                )
            )
    assignee = (get("assignee") or "").strip()
    assignee_id = user_id if assignee == "me" else _id(assignee)
    if assignee and assignee not in ("me", "none") and assignee_id is None:
        problems.append(
            gettext(
                "Assignee %(value)s is not a person; it was left out.", value=repr(assignee[:20])
            )
        )
    label = " ".join((get("label") or "").split())[:LABEL_NAME_LIMIT]
    due_from = _date((get("due_from") or "").strip(), _not_a_from_date, problems)
    due_to = _date((get("due_to") or "").strip(), _not_a_to_date, problems)
    if due_from and due_to and due_from > due_to:
        problems.append(gettext("The due range ends before it starts; the dates were swapped."))
        due_from, due_to = due_to, due_from
    filters = SearchFilters(
        project_id=project_id,
        statuses=tuple(dict.fromkeys(statuses)),
        assignee_id=assignee_id,
        unassigned=assignee == "none",
        label=label,
        due_from=due_from,
        due_to=due_to,
        due_after=_start_of(due_from, timezone_name),
        due_before=_start_of(due_to + timedelta(days=1) if due_to else None, timezone_name),
        include_archived=(get("archived") or "") in ("1", "on", "true"),
    )
    return filters, problems


def _start_of(day: date | None, timezone_name: str) -> datetime | None:
    """Midnight at the start of `day` in the person's zone, in UTC."""
    if day is None:
        return None
    return local_to_utc(datetime(day.year, day.month, day.day), timezone_name)
