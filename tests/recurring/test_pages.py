"""Recurring task pages: create from the browser, read in words, edit, stop, and who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.extensions import db
from app.recurring.models import RecurringSeries
from app.recurring.occurrences import create_due
from app.tasklist.models import Task

# The form's first due date, 2030-01-07, must be within ten years of now and its occurrences
# after now: a fixed now keeps that true whatever day the tests run (and under make test-clock).
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    """One fixed clock for the whole test, the login included: a session made at today's real
    date and read on NOW's would be from the future (or expired)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(make, auth):
    owner = make.user(email="olga@example.com", name="Olga", timezone="Europe/Berlin")
    bob = make.user(email="bob@example.com", name="Bob", timezone="America/New_York")
    outsider = make.user(email="eve@example.com", name="Eve")
    project = make.project(owner, members=(bob,))
    auth.login("olga@example.com")
    return {"owner": owner, "bob": bob, "outsider": outsider, "project": project}


def form(**overrides):
    data = {
        "title": "Standup notes",
        "description": "Post them in the channel",
        "priority": "high",
        "assignee_id": "0",
        "starts": "2030-01-07T09:30",
        "frequency": "weekly",
        "weekdays": ["MO", "WE"],
        "day_of_month": "1",
        "rule": "",
    }
    data.update(overrides)
    return data


def all_series(app):
    with app.app_context():
        rows = list(db.session.scalars(db.select(RecurringSeries).order_by(RecurringSeries.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_a_weekly_series_is_created_from_the_form_and_shown_in_words(app, client, team):
    response = client.post(
        f"/projects/{team['project']}/recurring/new",
        data=form(assignee_id=str(team["bob"])),
        follow_redirects=True,
    )
    page = response.data.decode()
    assert "Every Monday, Wednesday at 09:30" in page
    assert "Mon 07 Jan 2030, 09:30 CET" in page, "the next occurrences, in my zone"
    (series,) = all_series(app)
    assert series.rule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert series.starts_at == datetime(2030, 1, 7, 8, 30, tzinfo=UTC)
    assert (series.timezone, series.assignee_id) == ("Europe/Berlin", team["bob"])
    listing = client.get(f"/projects/{team['project']}/recurring").data.decode()
    assert "Standup notes" in listing and "Every Monday, Wednesday at 09:30" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"frequency": "weekly", "weekdays": []}, "Choose at least one day of the week."),
        ({"frequency": "custom", "rule": "FREQ=SECONDLY"}, "Tasks can repeat at most hourly."),
        ({"frequency": "custom", "rule": "every tuesday"}, "not a valid RRULE"),
        ({"frequency": "monthly", "day_of_month": "32"}, "from 1 to 31"),
        ({"frequency": "fortnightly"}, "Choose how often the task repeats."),
        ({"starts": "next week"}, "Enter the start as a date and time"),
        ({"title": ""}, "Give the task a title."),
        ({"assignee_id": "999"}, "Choose the assignee from the project&#39;s members."),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(app, client, team, overrides, message):
    response = client.post(f"/projects/{team['project']}/recurring/new", data=form(**overrides))
    assert response.status_code == 200
    assert message in response.data.decode()
    assert all_series(app) == []


def test_monthly_and_custom_rules_from_the_form(app, client, team):
    client.post(
        f"/projects/{team['project']}/recurring/new",
        data=form(frequency="monthly", day_of_month="31"),
    )
    client.post(
        f"/projects/{team['project']}/recurring/new",
        data=form(frequency="custom", rule="rrule:freq=weekly;interval=2;byday=fr"),
    )
    monthly, custom = all_series(app)
    assert monthly.rule == "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    assert custom.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    page = client.get(f"/recurring/{monthly.id}").data.decode()
    assert "Monthly on day 31 (or the month&#39;s last day) at 09:30" in page
    assert "Thu 31 Jan 2030" in page and "Thu 28 Feb 2030" in page


def test_editing_shows_the_current_choices_and_saves_for_the_future(app, client, team):
    client.post(f"/projects/{team['project']}/recurring/new", data=form())
    (series,) = all_series(app)
    page = client.get(f"/recurring/{series.id}/edit").data.decode()
    assert 'value="2030-01-07T09:30"' in page
    assert 'checked id="weekdays-0" name="weekdays" type="checkbox" value="MO"' in page
    assert 'id="weekdays-1" name="weekdays" type="checkbox" value="TU"' in page
    response = client.post(
        f"/recurring/{series.id}/edit",
        data=form(title="Standup summary", frequency="weekdays"),
        follow_redirects=True,
    )
    assert "Future occurrences follow the new template." in response.data.decode()
    (series,) = all_series(app)
    assert (series.title, series.rule) == ("Standup summary", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def test_stopping_keeps_past_tasks_and_the_task_page_links_to_its_series(app, client, team):
    client.post(f"/projects/{team['project']}/recurring/new", data=form())
    (series,) = all_series(app)
    with app.app_context():
        (task_id,) = create_due(
            db.session, datetime(2030, 1, 7, 0, 0, tzinfo=UTC), timedelta(hours=24), 10
        ).created
        db.session.commit()
    assert f"/recurring/{series.id}" in client.get(f"/task/{task_id}").data.decode()
    response = client.post(f"/recurring/{series.id}/stop", follow_redirects=True)
    page = response.data.decode()
    assert "will not repeat any more" in page and "Stopped" in page
    assert "Standup notes" in page, "the history stays on the series page"
    with app.app_context():
        assert db.session.get(Task, task_id) is not None
    assert client.get(f"/recurring/{series.id}/edit", follow_redirects=True).status_code == 200


def test_members_see_series_but_only_their_maker_and_owners_change_them(app, client, auth, team):
    client.post(f"/projects/{team['project']}/recurring/new", data=form())
    (series,) = all_series(app)
    auth.logout()
    auth.login("bob@example.com")
    assert client.get(f"/recurring/{series.id}").status_code == 200
    assert client.get(f"/recurring/{series.id}/edit").status_code == 403
    assert client.post(f"/recurring/{series.id}/stop").status_code == 403
    auth.logout()
    auth.login("eve@example.com")
    for url in (
        f"/recurring/{series.id}",
        f"/recurring/{series.id}/edit",
        f"/projects/{team['project']}/recurring",
        f"/projects/{team['project']}/recurring/new",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/recurring/{series.id}/stop").status_code == 404
    assert all_series(app)[0].stopped_at is None


def test_the_list_page_costs_the_same_queries_for_many_series(app, client, team, count_queries):
    client.post(f"/projects/{team['project']}/recurring/new", data=form())
    with count_queries() as few:
        client.get(f"/projects/{team['project']}/recurring")
    for n in range(20):
        client.post(f"/projects/{team['project']}/recurring/new", data=form(title=f"Chore {n}"))
    with count_queries() as many:
        page = client.get(f"/projects/{team['project']}/recurring").data.decode()
    assert "Chore 19" in page
    assert len(many) == len(few)
