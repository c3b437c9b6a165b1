"""Reading search's filters: checked values, the due range in the person's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from werkzeug.datastructures import MultiDict

from app.search.filters import SearchFilters, parse_search_filters
from app.tasklist.models import TaskStatus

ME = 7


def parse(zone: str = "UTC", **values: str | list[str]) -> tuple[SearchFilters, list[str]]:
    args = MultiDict(
        [(k, v) for k, vs in values.items() for v in (vs if isinstance(vs, list) else [vs])]
    )
    return parse_search_filters(args.get, args.getlist, ME, zone)


def test_no_values_no_filters():
    filters, problems = parse()
    assert filters == SearchFilters() and not filters.any_set and problems == []


def test_each_filter_is_read():
    filters, problems = parse(
        project="3", status=["blocked", "pending", "blocked"], assignee="me", label="  Ops  team "
    )
    assert problems == []
    assert filters.project_id == 3 and filters.assignee_id == ME
    assert filters.statuses == (TaskStatus.BLOCKED, TaskStatus.PENDING)
    assert filters.label == "Ops team" and filters.any_set
    assert parse(assignee="none")[0].unassigned
    assert parse(assignee="12")[0].assignee_id == 12
    assert parse(archived="1")[0].include_archived


def test_odd_values_are_left_out_each_with_a_sentence():
    filters, problems = parse(project="-1", status="done", assignee="bob", due_from="tomorrow")
    assert filters == SearchFilters()
    assert len(problems) == 4
    assert parse(project=str(2**40))[0].project_id is None
    assert parse(due_to="0001-01-01")[1] and parse(due_to="9999-12-31")[1]


def test_the_due_range_covers_whole_days_in_the_persons_zone():
    filters, _ = parse("Asia/Tokyo", due_from="2030-05-01", due_to="2030-05-02")
    assert filters.due_from == date(2030, 5, 1)
    assert filters.due_after == datetime(2030, 4, 30, 15, 0, tzinfo=UTC)
    assert filters.due_before == datetime(2030, 5, 2, 15, 0, tzinfo=UTC)


def test_a_range_given_backwards_is_turned_round():
    filters, problems = parse(due_from="2030-05-09", due_to="2030-05-01")
    assert (filters.due_from, filters.due_to) == (date(2030, 5, 1), date(2030, 5, 9))
    assert problems == ["The due range ends before it starts; the dates were swapped."]
