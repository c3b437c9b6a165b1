"""Input whose cost grew without bound: repeat rules that never match, checked in a request and
in process_recurring_tasks. The bound is asserted on work done (candidate periods dateutil
examines), never on time."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.accounts.models import User
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.timezones import datetime_local_value
from app.exports.models import Export
from app.extensions import db
from app.recurring.jobs import process_recurring_tasks
from app.recurring.models import RecurringSeries
from app.recurring.occurrences import create_due
from app.recurring.rules import normalise_rule
from app.recurring.service import TemplateFields, create_series, upcoming
from app.tasklist.filters import MAX_LABELS
from app.tasklist.models import Task, TaskPriority

# Each never gives a date; dateutil alone walked to the year 9999 for each (20-27 s of CPU for
# the first, in the request, under load).
IMPOSSIBLE_RULES = [
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=HOURLY;BYYEARDAY=366;BYMONTH=1",
    "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
]
# dateutil builds one set of candidate days per period it examines, in one of these.
PERIOD_BUILDERS = {"ydayset", "mdayset", "wdayset", "ddayset"}
# The Gregorian calendar repeats every 400 years: the most a search need look at.
CALENDAR_CYCLE_YEARS = 400
# Periods a year, by FREQ (an hourly rule on a day that cannot match is skipped a day at once).
PERIODS_A_YEAR = {"YEARLY": 1, "MONTHLY": 12, "WEEKLY": 53, "DAILY": 366, "HOURLY": 366}
# One calendar cycle of days, plus the part of a cycle before the search starts.
MAX_PERIODS = (CALENDAR_CYCLE_YEARS + 1) * 366


def max_periods(rule: str) -> int:
    frequency = rule.split(";")[0].removeprefix("FREQ=")
    return (CALENDAR_CYCLE_YEARS + 1) * PERIODS_A_YEAR[frequency]


def periods_examined(action: Callable[[], Any]) -> tuple[Any, int]:
    """Run `action`, counting the candidate periods dateutil's rrule examines (its calls to
    build a period's days), as a profiler sees them; returns (result or exception, count)."""
    count = 0

    def profiler(frame: Any, event: str, _: Any) -> None:
        nonlocal count
        if event == "call" and frame.f_code.co_name in PERIOD_BUILDERS:
            count += 1

    sys.setprofile(profiler)
    try:
        result: Any = action()
    except RuleViolation as refusal:
        result = refusal
    finally:
        sys.setprofile(None)
    return result, count


@pytest.mark.timeout(300)
@pytest.mark.parametrize("rule", IMPOSSIBLE_RULES)
def test_checking_a_rule_gives_up_after_one_calendar_cycle(rule):
    """Unbounded, the hourly rules examine ~2.9 million days (every day to the year 9999), the
    monthly one ~96,000 months; one cycle is at most 401 years' worth of periods."""
    refusal, periods = periods_examined(lambda: normalise_rule(rule))
    assert isinstance(refusal, RuleViolation)
    assert str(refusal).startswith("That rule never produces a date")
    assert 0 < periods <= max_periods(rule), periods


def test_a_rule_whose_first_date_is_years_away_is_refused_with_its_date():
    # 29 February on a Monday: 2044 after 2026.
    with pytest.raises(RuleViolation, match="first date is 2044-02-29, more than 10 years away"):
        normalise_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    assert (
        normalise_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
        == "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    )


def test_an_impossible_rule_is_refused_at_save_with_a_clear_message(app, client, auth, world):
    auth.login(world.b.owner_email)
    with app.app_context():
        count = db.session.query(RecurringSeries).count()
    # A first due date the form accepts whatever day this runs: only the rule is wrong.
    starts = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    for rule in IMPOSSIBLE_RULES:
        response = client.post(
            f"/projects/{world.b.project_id}/recurring/new",
            data={
                "title": "Never",
                "priority": "medium",
                "assignee_id": "0",
                "starts": starts,
                "frequency": "custom",
                "rule": rule,
            },
        )
        assert response.status_code == 200, rule
        assert "That rule never produces a date" in response.data.decode(), rule
    with app.app_context():
        assert db.session.query(RecurringSeries).count() == count


def store_rule(app, series_id: int, rule: str) -> None:
    """As if saved before rules were checked: straight into the row."""
    with app.app_context():
        db.session.get(RecurringSeries, series_id).rule = rule
        db.session.commit()


@pytest.mark.timeout(300)
def test_the_recurring_job_stops_a_stored_impossible_rule_within_the_bound(app, world, caplog):
    store_rule(app, world.b.series_id, IMPOSSIBLE_RULES[0])
    with app.app_context():
        result, periods = periods_examined(
            lambda: create_due(db.session, utcnow(), timedelta(hours=24), 100)
        )
        db.session.commit()
        series = db.session.get(RecurringSeries, world.b.series_id)
        assert series.stopped_at is not None
        assert db.session.query(Task).filter_by(series_id=series.id).count() == 0
    assert result.stopped == {world.b.series_id: "That rule never produces a date."}
    # Team A's weekly series is untouched and made its task.
    assert len(result.created) == 1
    # The occurrences search and the check each examine at most one cycle.
    assert periods <= 2 * MAX_PERIODS, periods
    assert f"recurring series {world.b.series_id} stopped" in caplog.text
    # Stopped: the next run does not look at it again.
    with app.app_context():
        again, periods = periods_examined(
            lambda: create_due(db.session, utcnow(), timedelta(hours=24), 100)
        )
    assert again.stopped == {} and periods < 1000


@pytest.mark.timeout(120)
@pytest.mark.worker
def test_process_recurring_tasks_in_a_real_worker_stops_the_impossible_series(
    app, world, celery_worker
):
    store_rule(app, world.b.series_id, IMPOSSIBLE_RULES[0])
    result = process_recurring_tasks.delay().get(timeout=90)
    assert result["stopped"] == [world.b.series_id]
    with app.app_context():
        assert db.session.get(RecurringSeries, world.b.series_id).stopped_at is not None


def store_start(app, series_id: int, rule: str, starts_at: datetime) -> None:
    """As if saved before first due dates were bounded: straight into the row."""
    with app.app_context():
        series = db.session.get(RecurringSeries, series_id)
        series.rule, series.starts_at = rule, starts_at
        db.session.commit()


def test_an_hourly_series_from_centuries_back_examines_a_few_periods_not_all_of_them(
    app, client, auth, world
):
    # Every hour from 1526: dateutil alone walked 4.4 million periods (22 s) per page view.
    store_start(app, world.b.series_id, "FREQ=HOURLY", datetime(1526, 1, 1, 9, tzinfo=UTC))
    now = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    with app.app_context():
        series = db.session.get(RecurringSeries, world.b.series_id)
        found, periods = periods_examined(lambda: upcoming(series, now, 3))
    assert found == [now.replace(minute=0) + timedelta(hours=n) for n in (1, 2, 3)]
    assert periods < 10, periods
    # The project's pages show it at the same cost, whatever today is.
    auth.login(world.b.owner_email)
    page, periods = periods_examined(
        lambda: client.get(f"/projects/{world.b.project_id}/recurring")
    )
    assert page.status_code == 200 and periods < 100, periods


def series_form(starts: str) -> dict[str, str]:
    return {
        "title": "Chore",
        "priority": "medium",
        "assignee_id": "0",
        "starts": starts,
        "frequency": "daily",
    }


def test_a_first_due_date_more_than_ten_years_from_today_is_refused(app, client, auth, world):
    auth.login(world.b.owner_email)
    with app.app_context():
        count = db.session.query(RecurringSeries).count()
    soon = utcnow() + timedelta(days=30)
    for starts in (
        "0002-01-01T00:00",
        soon.replace(year=soon.year + 11).strftime("%Y-%m-%dT%H:%M"),
    ):
        response = client.post(
            f"/projects/{world.b.project_id}/recurring/new", data=series_form(starts)
        )
        assert response.status_code == 200, starts
        assert "Choose a first due date within 10 years of today." in response.data.decode()
    with app.app_context():
        assert db.session.query(RecurringSeries).count() == count
        owner = db.session.get(User, world.b.owner_id)
        fields = TemplateFields("Chore", "", TaskPriority.MEDIUM, None, "FREQ=DAILY", soon)
        with pytest.raises(RuleViolation, match="within 10 years"):
            create_series(
                db.session,
                project_id=world.b.project_id,
                owner=owner,
                fields=replace(fields, starts_at=datetime(2, 1, 1, tzinfo=UTC)),
                now=utcnow(),
            )
    # A series that already has an old first due date keeps it when its title changes.
    store_start(app, world.b.series_id, "FREQ=DAILY", datetime(1990, 1, 1, 9, tzinfo=UTC))
    with app.app_context():
        series = db.session.get(RecurringSeries, world.b.series_id)
        kept = datetime_local_value(series.starts_at, series.timezone)
    edited = client.post(
        f"/recurring/{world.b.series_id}/edit", data={**series_form(kept), "title": "Renamed"}
    )
    assert edited.status_code == 302
    with app.app_context():
        series = db.session.get(RecurringSeries, world.b.series_id)
        assert (series.title, series.starts_at.year) == ("Renamed", 1990)


def test_ten_thousand_labels_in_an_export_are_capped_and_said_so(app, client, auth, world):
    auth.login(world.b.owner_email)
    labels = [world.b.label_id, *range(10**6, 10**6 + 9_999)]
    response = client.post(
        f"/projects/{world.b.project_id}/tasks/export",
        data={"format": "csv", "label": [str(label) for label in labels], "status": ["x"] * 9},
    )
    # Nine unknown statuses: nothing exported, five named, the rest counted; no label echoed.
    assert response.status_code == 302
    with client.session_transaction() as session:
        messages = [text for _, text in session["_flashes"]]
        session["_flashes"] = []
    assert "Nothing was exported: unknown filter values x, x, x, x, x and 4 more." in messages
    assert not any(str(10**6) in message for message in messages)
    assert len(response.headers["Location"]) < 1000
    response = client.post(
        f"/projects/{world.b.project_id}/tasks/export",
        data={"format": "csv", "label": [str(label) for label in labels]},
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        messages = [text for _, text in session["_flashes"]]
    assert "Only the first 50 labels are used; 9950 more were left out." in messages
    with app.app_context():
        export = db.session.query(Export).order_by(Export.id.desc()).first()
        assert export.filters["label_ids"] == labels[:MAX_LABELS]


def test_a_body_past_max_content_length_gets_a_clear_413_page(app, client, auth, world):
    assert app.config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024
    auth.login(world.b.owner_email)
    response = client.post(
        f"/projects/{world.b.project_id}/tasks/export",
        data={"format": "csv", "file": (io.BytesIO(b"x" * (10 * 1024 * 1024 + 1)), "big.csv")},
    )
    assert response.status_code == 413
    assert "larger than Tickler accepts" in response.data.decode()
