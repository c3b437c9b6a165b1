"""The calendar pages: a project's month and week and "my tasks", in the viewer's zone, without
Trash or deleted projects, with a fixed number of statements; and moving a task to a day."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.projects.models import Project
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskStatus
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.calendars.conftest import LATE_MONDAY, WEDNESDAY_NINE, add_label


def day_cell(html: str, iso_day: str) -> str:
    """The HTML of one day of the grid."""
    match = re.search(
        rf'data-date="{iso_day}">(.*?)</li>\s*(?=<li class="cal-day|</ol>)', html, re.S
    )
    assert match, f"no cell for {iso_day}"
    return match.group(1)


def test_a_task_due_late_evening_lands_on_the_new_york_day(client, make, auth, team):
    make.task(team["project"], team["ann"], title="Ship it", due_at=LATE_MONDAY)
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2026-12").get_data(as_text=True)
    assert "December 2026" in html
    assert "Ship it" in day_cell(html, "2026-12-07")
    assert "23:30" in day_cell(html, "2026-12-07")
    assert "Ship it" not in day_cell(html, "2026-12-08")
    # The same task for Bob, in Tokyo, is on Tuesday afternoon.
    client.post("/logout")
    auth.login("bob@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2026-12").get_data(as_text=True)
    assert "Ship it" in day_cell(html, "2026-12-08")
    assert "13:30" in day_cell(html, "2026-12-08")


def test_overdue_done_labels_and_tabs_show(client, app, make, auth, team):
    past = datetime(2020, 1, 6, 15, 0, tzinfo=UTC)
    late = make.task(team["project"], team["ann"], title="Late one", due_at=past)
    make.task(
        team["project"],
        team["ann"],
        title="Done one",
        status=TaskStatus.COMPLETED,
        due_at=past + timedelta(hours=1),
    )
    add_label(app, team["project"], late, "urgent")
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2020-01").get_data(as_text=True)
    cell = day_cell(html, "2020-01-06")
    assert re.search(r'class="cal-task is-overdue"[^>]*>.*?Late one.*?Overdue', cell, re.S)
    assert re.search(r'class="cal-task is-done"[^>]*>.*?Done one.*?Done', cell, re.S)
    assert 'class="label-chip"' in cell and "urgent" in cell
    assert 'aria-current="page">Calendar</a>' in html  # the project tabs, this one current
    assert f'href="/projects/{team["project"]}/calendar/week?week=' in html


def test_navigation_links_carry_the_month_and_week_in_the_url(client, make, auth, team):
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2026-12").get_data(as_text=True)
    base = f"/projects/{team['project']}/calendar"
    assert f'href="{base}?month=2026-11" rel="prev"' in html
    assert f'href="{base}?month=2027-01" rel="next"' in html
    week = client.get(f"{base}/week?week=2026-12-10").get_data(as_text=True)
    assert "7 – 13 Dec 2026" in week
    assert f'href="{base}/week?week=2026-11-30" rel="prev"' in week
    assert f'href="{base}/week?week=2026-12-14" rel="next"' in week


def test_a_week_shows_its_seven_days_from_monday(client, make, auth, team):
    make.task(team["project"], team["ann"], title="Midweek", due_at=WEDNESDAY_NINE)
    make.task(team["project"], team["ann"], title="Next week", due_at=WEDNESDAY_NINE + timedelta(7))
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar/week?week=2026-12-09").get_data(
        as_text=True
    )
    days = re.findall(r'class="cal-day[^"]*" data-date="([\d-]+)"', html)
    assert days[0] == "2026-12-07" and days[-1] == "2026-12-13" and len(days) == 7
    assert "Midweek" in day_cell(html, "2026-12-09") and "Next week" not in html


def test_an_unreadable_month_says_so_and_shows_this_month(client, make, auth, team):
    auth.login("ann@example.com")
    response = client.get(f"/projects/{team['project']}/calendar?month=soon")
    assert response.status_code == 200
    assert "“soon” is not a month (write it as 2026-12)" in response.get_data(as_text=True)


def test_my_tasks_are_my_open_assigned_ones_across_projects(client, app, make, auth, team):
    second = make.project(team["bob"], name="Side project", members=(team["ann"],))
    make.task(
        team["project"],
        team["ann"],
        title="Mine here",
        assignee_id=team["ann"],
        due_at=WEDNESDAY_NINE,
    )
    make.task(
        second, team["bob"], title="Mine there", assignee_id=team["ann"], due_at=WEDNESDAY_NINE
    )
    make.task(
        team["project"], team["ann"], title="Bobs", assignee_id=team["bob"], due_at=WEDNESDAY_NINE
    )
    make.task(
        team["project"],
        team["ann"],
        title="Mine done",
        assignee_id=team["ann"],
        status=TaskStatus.COMPLETED,
        due_at=WEDNESDAY_NINE,
    )
    trashed = make.task(
        team["project"],
        team["ann"],
        title="Mine trashed",
        assignee_id=team["ann"],
        due_at=WEDNESDAY_NINE,
    )
    with app.app_context():
        db.session.get(Task, trashed).deleted_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.commit()
    auth.login("ann@example.com")
    html = client.get("/calendar?month=2026-12").get_data(as_text=True)
    cell = day_cell(html, "2026-12-09")
    assert "Mine here" in cell and "Mine there" in cell and "Side project" in cell
    for absent in ("Bobs", "Mine done", "Mine trashed"):
        assert absent not in html
    assert 'href="/calendar"' in html  # the main navigation's link


def test_deleted_projects_and_trashed_tasks_stay_off_the_calendar(client, app, make, auth, team):
    trashed = make.task(
        team["project"],
        team["ann"],
        title="In the trash",
        due_at=WEDNESDAY_NINE,
        assignee_id=team["ann"],
    )
    doomed = make.project(team["ann"], name="Doomed")
    make.task(
        doomed,
        team["ann"],
        title="Of a deleted project",
        due_at=WEDNESDAY_NINE,
        assignee_id=team["ann"],
    )
    with app.app_context():
        db.session.get(Task, trashed).deleted_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.get(Project, doomed).deleted_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.commit()
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2026-12").get_data(as_text=True)
    assert "In the trash" not in html
    assert "Of a deleted project" not in client.get("/calendar?month=2026-12").get_data(
        as_text=True
    )
    assert client.get(f"/projects/{doomed}/calendar").status_code == 404
    assert client.get(f"/projects/{doomed}/calendar/week").status_code == 404


def test_another_teams_calendar_is_not_found(client, make, auth, team):
    auth.login("ann@example.com")
    assert client.get(f"/projects/{team['other']}/calendar").status_code == 404
    assert client.get(f"/projects/{team['other']}/calendar/week").status_code == 404


def test_the_pages_need_a_login(client, team):
    for url in (f"/projects/{team['project']}/calendar", "/calendar", "/calendar/week"):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("path", ["/projects/{project}/calendar", "/calendar"])
def test_a_page_costs_the_same_statements_whatever_the_task_count(
    client, app, make, auth, team, count_queries, path
):
    url = path.format(project=team["project"]) + "?month=2026-12"
    make.task(team["project"], team["ann"], assignee_id=team["ann"], due_at=WEDNESDAY_NINE)
    auth.login("ann@example.com")
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        task_id = make.task(
            team["project"],
            team["ann"],
            assignee_id=team["ann"],
            due_at=WEDNESDAY_NINE + timedelta(days=n % 9, hours=n),
        )
        add_label(app, team["project"], task_id, f"label {n}")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def move(client, task_id: int, day: str, **extra: str):
    return client.post(f"/calendar/tasks/{task_id}/move", data={"day": day, **extra})


def test_moving_keeps_the_time_of_day_across_the_clock_change(client, app, make, auth, team):
    friday_nine = datetime(2027, 3, 12, 14, 0, tzinfo=UTC)  # 09:00 EST
    task_id = make.task(
        team["project"], team["ann"], title="Standup", due_at=friday_nine, assignee_id=team["bob"]
    )
    auth.login("ann@example.com")
    response = move(client, task_id, "2027-03-15", view="week", project_id=str(team["project"]))
    assert response.status_code == 302
    assert response.location.endswith(
        f"/projects/{team['project']}/calendar/week?week=2027-03-15#task-{task_id}"
    )
    with app.app_context():
        assert db.session.get(Task, task_id).due_at == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)
    page = client.get(response.location).get_data(as_text=True)
    assert "Moved “Standup” to Mon 15 Mar 2027, 09:00 EDT." in page


def test_a_move_is_an_edit_for_webhooks_and_history(client, app, make, auth, team):
    task_id = make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE)
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=team["project"],
                secret="s",
                url="https://hooks.example.com/x",
                events="task.updated",
            )
        )
        db.session.commit()
    auth.login("ann@example.com")
    move(client, task_id, "2026-12-10")
    with app.app_context():
        [delivery] = db.session.scalars(select(WebhookDelivery)).all()
    payload = json.loads(delivery.payload)
    assert delivery.event == "task.updated"
    assert "due_at" in json.dumps(payload) and "2026-12-10T14:00:00" in json.dumps(payload)


def test_a_move_takes_relative_reminders_along(client, app, make, auth, team):
    task_id = make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE)
    with app.app_context():
        db.session.add(
            TaskReminder(
                task_id=task_id,
                user_id=team["ann"],
                before_due="1h",
                remind_at=WEDNESDAY_NINE - timedelta(hours=1),
            )
        )
        db.session.commit()
    auth.login("ann@example.com")
    move(client, task_id, "2026-12-11")
    with app.app_context():
        reminder = db.session.scalar(select(TaskReminder))
        assert reminder.remind_at == WEDNESDAY_NINE + timedelta(days=2, hours=-1)


def test_a_bad_day_is_refused_and_changes_nothing(client, app, make, auth, team):
    task_id = make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE)
    auth.login("ann@example.com")
    for bad in ("", "tomorrow", "2026-02-30"):
        response = move(client, task_id, bad)
        assert response.status_code == 302
        assert "Choose the day to move the task to" in client.get(response.location).get_data(
            as_text=True
        )
    assert make.get(Task, task_id).due_at == WEDNESDAY_NINE


def test_moving_another_teams_task_is_not_found(client, make, auth, team):
    theirs = make.task(team["other"], team["cy"], due_at=WEDNESDAY_NINE)
    auth.login("ann@example.com")
    assert move(client, theirs, "2026-12-10").status_code == 404
    assert make.get(Task, theirs).due_at == WEDNESDAY_NINE


def test_a_trashed_task_is_not_moved(client, app, make, auth, team):
    task_id = make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE)
    with app.app_context():
        db.session.get(Task, task_id).deleted_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.commit()
    auth.login("ann@example.com")
    response = move(client, task_id, "2026-12-10")
    # A task in the Trash is out of reach of every task page, the move included (load_task).
    assert response.status_code == 404
    assert "This task is in the Trash" in response.get_data(as_text=True)
    assert make.get(Task, task_id).due_at == WEDNESDAY_NINE


def test_moving_needs_the_form_token(client, app, make, auth, team):
    task_id = make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE)
    auth.login("ann@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert move(client, task_id, "2026-12-10").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert make.get(Task, task_id).due_at == WEDNESDAY_NINE
