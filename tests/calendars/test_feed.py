"""The private iCalendar feed: turned on, renewed and off on its page; read back with the
icalendar library; conditional GET; four statements whatever the task count; nothing for a
wrong or revoked token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
import time_machine
from sqlalchemy import select

from app.calendars.models import CalendarFeed
from app.extensions import db
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskPriority, TaskStatus
from tests.calendars.conftest import WEDNESDAY_NINE, add_label

FEED_PATH = re.compile(r'value="https?://[^"/]+(/calendar/feed/[^"?]+\.ics)"')


def turn_on(client, action: str = "on") -> str:
    """Turn the feed on (or renew it) and return its path, read off the page shown once."""
    page = client.post("/calendar/feed", data={"action": action}, follow_redirects=True).get_data(
        as_text=True
    )
    match = FEED_PATH.search(page)
    assert match, "the page shows the feed URL"
    return match.group(1)


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def ann_feed(client, auth, team) -> str:
    auth.login("ann@example.com")
    path = turn_on(client)
    client.post("/logout")
    client.delete_cookie("session")
    return path


def test_the_feed_has_my_open_assigned_tasks_with_links_status_priority(
    client, app, make, team, ann_feed
):
    mine = make.task(
        team["project"],
        team["ann"],
        title="Write the post",
        due_at=WEDNESDAY_NINE,
        assignee_id=team["ann"],
        priority=TaskPriority.CRITICAL,
    )
    add_label(app, team["project"], mine, "blog")
    make.task(
        team["project"],
        team["ann"],
        title="Done already",
        assignee_id=team["ann"],
        status=TaskStatus.COMPLETED,
        due_at=WEDNESDAY_NINE,
    )
    make.task(team["project"], team["ann"], title="No date", assignee_id=team["ann"])
    make.task(
        team["project"], team["ann"], title="Bobs", assignee_id=team["bob"], due_at=WEDNESDAY_NINE
    )
    response = client.get(ann_feed)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers  # no session is read or made
    events = events_of(response.data)
    assert list(events) == ["Write the post"]
    event = events["Write the post"]
    assert event.decoded("DTSTART") == WEDNESDAY_NINE
    assert event["DTSTART"].to_ical() == b"20261209T140000Z"  # UTC: no VTIMEZONE needed
    base = app.config["APP_BASE_URL"].rstrip("/")
    assert str(event["UID"]) == f"task-{mine}@{urlsplit(base).hostname}"
    assert str(event["URL"]) == f"{base}/task/{mine}"
    assert int(event["PRIORITY"]) == 1
    categories = [str(c) for c in event["CATEGORIES"].cats]
    assert categories == ["Launch", "Pending", "Critical priority", "blog"]
    assert "Status: Pending" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event and "SEQUENCE" in event


def test_reminders_become_alarms(client, app, make, team, ann_feed):
    task_id = make.task(
        team["project"], team["ann"], title="Pay", due_at=WEDNESDAY_NINE, assignee_id=team["ann"]
    )
    at_time = datetime(2026, 12, 8, 20, 0, tzinfo=UTC)
    with app.app_context():
        db.session.add_all(
            [
                TaskReminder(
                    task_id=task_id,
                    user_id=team["ann"],
                    before_due="1d",
                    remind_at=WEDNESDAY_NINE - timedelta(days=1),
                ),
                TaskReminder(task_id=task_id, user_id=team["ann"], remind_at=at_time),
                # Bob's reminder is his own: not in Ann's feed.
                TaskReminder(
                    task_id=task_id,
                    user_id=team["bob"],
                    before_due="1h",
                    remind_at=WEDNESDAY_NINE - timedelta(hours=1),
                ),
            ]
        )
        db.session.commit()
    alarms = events_of(client.get(ann_feed).data)["Pay"].walk("VALARM")
    triggers = sorted(str(alarm.decoded("TRIGGER")) for alarm in alarms)
    assert triggers == sorted([str(timedelta(days=-1)), str(at_time)])
    assert all(str(alarm["ACTION"]) == "DISPLAY" for alarm in alarms)


def test_an_edit_raises_the_sequence_and_keeps_the_uid(client, app, make, team, ann_feed):
    task_id = make.task(
        team["project"], team["ann"], title="Plan", due_at=WEDNESDAY_NINE, assignee_id=team["ann"]
    )
    with app.app_context():
        task = db.session.get(Task, task_id)
        task.created_at = task.updated_at = datetime(2026, 11, 1, tzinfo=UTC)
        db.session.commit()
    before = events_of(client.get(ann_feed).data)["Plan"]
    # The edit happens at a fixed moment after the creation: at the real clock moved a year
    # back, the edit came before it and SEQUENCE (seconds from creation to edit) stayed 0.
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)), app.app_context():
        task = db.session.get(Task, task_id)
        task.due_at = WEDNESDAY_NINE + timedelta(days=1)
        db.session.commit()
    after = events_of(client.get(ann_feed).data)["Plan"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")


def test_conditional_get_answers_304_until_something_changes(client, app, make, team, ann_feed):
    task_id = make.task(
        team["project"], team["ann"], title="Poll", due_at=WEDNESDAY_NINE, assignee_id=team["ann"]
    )
    first = client.get(ann_feed)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, max-age=300"
    again = client.get(ann_feed, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context():
        db.session.get(Task, task_id).title = "Poll, renamed"
        db.session.commit()
    changed = client.get(ann_feed, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_project_feed_has_its_open_tasks_for_members_only(client, make, team, ann_feed):
    make.task(
        team["project"],
        team["ann"],
        title="Bobs task",
        due_at=WEDNESDAY_NINE,
        assignee_id=team["bob"],
    )
    make.task(team["other"], team["cy"], title="Secret", due_at=WEDNESDAY_NINE)
    body = client.get(f"{ann_feed}?project={team['project']}").data
    assert list(events_of(body)) == ["Bobs task"]
    assert b"X-WR-CALNAME:Tickler: Launch" in body
    for query in (f"?project={team['other']}", "?project=999999", "?project=x", "?project="):
        assert client.get(ann_feed + query).status_code == 404


def test_wrong_revoked_and_renewed_tokens_reveal_nothing(client, auth, make, team, ann_feed):
    make.task(
        team["project"], team["ann"], title="Hidden", due_at=WEDNESDAY_NINE, assignee_id=team["ann"]
    )
    unknown = client.get("/calendar/feed/not-a-token.ics")
    assert unknown.status_code == 404
    auth.login("ann@example.com")
    renewed = turn_on(client, "regenerate")
    client.post("/logout")
    client.get("/login")  # shows the logged-out message, so the pages below compare alike
    old = client.get(ann_feed)
    assert old.status_code == 404 and b"Hidden" not in old.data
    assert old.data == client.get("/calendar/feed/not-a-token.ics").data
    assert b"Hidden" in client.get(renewed).data
    auth.login("ann@example.com")
    client.post("/calendar/feed", data={"action": "off"})
    client.post("/logout")
    assert client.get(renewed).status_code == 404
    assert make.get(CalendarFeed, team["ann"]) is None


def test_a_deactivated_account_has_no_feed(client, app, make, team, ann_feed):
    from app.accounts.models import User

    with app.app_context():
        db.session.get(User, team["ann"]).is_active = False
        db.session.commit()
    assert client.get(ann_feed).status_code == 404


def test_only_the_hash_is_stored(client, app, team, ann_feed):
    token = ann_feed.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalar(select(CalendarFeed.token_hash))
    assert token not in stored and len(stored) == 64


def test_the_settings_page_shows_the_url_only_when_made(client, auth, team):
    auth.login("ann@example.com")
    off = client.get("/calendar/feed").get_data(as_text=True)
    assert "The feed is off" in off and "Turn on my calendar feed" in off
    answer = client.post("/calendar/feed", data={"action": "on"})
    # Post, redirect, get: a reload of the page shown neither resubmits nor makes a new URL.
    assert answer.status_code == 302 and answer.location.endswith("/calendar/feed")
    shown = client.get(answer.location).get_data(as_text=True)
    assert FEED_PATH.search(shown) and "shown only this once" in shown
    assert f"?project={team['project']}" in shown  # a copyable URL per project
    later = client.get("/calendar/feed").get_data(as_text=True)
    assert "The feed is on" in later and not FEED_PATH.search(later)
    assert 'href="/calendar/feed"' in client.get("/profile").get_data(as_text=True)


def test_an_unknown_action_is_refused(client, auth, team):
    auth.login("ann@example.com")
    page = client.post("/calendar/feed", data={"action": "explode"}, follow_redirects=True)
    assert "Choose to turn the feed on" in page.get_data(as_text=True)


def test_the_settings_need_a_login_and_the_form_token(client, app, auth, team):
    assert client.get("/calendar/feed").status_code == 302
    auth.login("ann@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/calendar/feed", data={"action": "on"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_feed_costs_the_same_statements_whatever_the_task_count(
    client, app, make, team, ann_feed, count_queries
):
    make.task(team["project"], team["ann"], due_at=WEDNESDAY_NINE, assignee_id=team["ann"])
    with count_queries() as few:
        assert client.get(ann_feed).status_code == 200
    for n in range(15):
        task_id = make.task(
            team["project"],
            team["ann"],
            assignee_id=team["ann"],
            due_at=WEDNESDAY_NINE + timedelta(days=n),
        )
        add_label(app, team["project"], task_id, f"l{n}")
        with app.app_context():
            db.session.add(
                TaskReminder(
                    task_id=task_id, user_id=team["ann"], before_due="1h", remind_at=WEDNESDAY_NINE
                )
            )
            db.session.commit()
    with count_queries() as many:
        response = client.get(ann_feed)
    assert len(events_of(response.data)) == 16
    assert len(many) == len(few) == 4


def test_a_url_made_then_revoked_before_the_page_loaded_is_never_shown(client, auth, team):
    auth.login("ann@example.com")
    client.post("/calendar/feed", data={"action": "on"})
    client.post("/calendar/feed", data={"action": "off"})
    page = client.get("/calendar/feed").get_data(as_text=True)
    assert "The feed is off" in page and not FEED_PATH.search(page)
