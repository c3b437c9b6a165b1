"""The calendar in Chromium: a task on its New York day, dragged to another day, moved with the
keyboard and with the no-script form; the feed turned on, copied and fetched."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
import pytest

from app.tasklist.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PASSWORD = "a good long password"
NEW_YORK = "America/New_York"
# 23:30 on Monday 7 December 2026 in New York (already Tuesday in UTC and in Berlin).
LATE_MONDAY = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def world(make):
    ann = make.user(email="ann@example.com", password=PASSWORD, timezone=NEW_YORK)
    project = make.project(ann, name="Launch")
    task = make.task(project, ann, title="Ship it", due_at=LATE_MONDAY, assignee_id=ann)
    return {"ann": ann, "project": project, "task": task}


def day(page, iso_day: str):
    return page.locator(f'.cal-day[data-date="{iso_day}"]')


def test_the_month_shows_a_task_on_its_day_and_a_drag_moves_it(live_server, page, make, world):
    log_in(page, live_server, "ann@example.com")
    page.goto(f"{live_server}/projects/{world['project']}/calendar?month=2026-12")
    assert "23:30 Ship it" in day(page, "2026-12-07").inner_text()
    assert "Ship it" not in day(page, "2026-12-08").inner_text()

    page.locator(f"#task-{world['task']}").drag_to(day(page, "2026-12-10"))
    page.wait_for_url("**/calendar?month=2026-12#task-*")
    page.wait_for_selector(f'.cal-day[data-date="2026-12-10"] #task-{world["task"]}')
    assert "Moved “Ship it” to Thu 10 Dec 2026, 23:30 EST." in page.inner_text(".flashes")
    assert make.get(Task, world["task"]).due_at == datetime(2026, 12, 11, 4, 30, tzinfo=UTC)


def test_alt_and_an_arrow_key_move_the_focused_task(live_server, page, make, world):
    log_in(page, live_server, "ann@example.com")
    page.goto(f"{live_server}/calendar/week?week=2026-12-07")
    link = page.locator(f"#task-{world['task']} .cal-task-link")
    link.focus()
    link.press("Alt+ArrowRight")
    page.wait_for_selector(f'.cal-day[data-date="2026-12-08"] #task-{world["task"]}')
    # Focus comes back to the moved task, so the next key press moves it again.
    page.locator(f"#task-{world['task']} .cal-task-link:focus").wait_for()
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_url("**/calendar/week?week=2026-12-15#task-*")
    page.wait_for_selector(f'.cal-day[data-date="2026-12-15"] #task-{world["task"]}')
    assert make.get(Task, world["task"]).due_at == datetime(2026, 12, 16, 4, 30, tzinfo=UTC)


def test_the_move_form_works_without_javascript(live_server, browser, make, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, "ann@example.com")
        page.goto(f"{live_server}/projects/{world['project']}/calendar?month=2026-12")
        task = page.locator(f"#task-{world['task']}")
        task.locator("summary").click()
        task.locator("input[name=day]").fill("2027-03-15")  # after the clocks change
        task.locator("button:has-text('Move')").click()
        page.wait_for_url("**/calendar?month=2027-03#task-*")
        assert "23:30 Ship it" in day(page, "2027-03-15").inner_text()
        assert "Moved “Ship it” to Mon 15 Mar 2027, 23:30 EDT." in page.inner_text(".flashes")
    finally:
        context.close()
    assert make.get(Task, world["task"]).due_at == datetime(2027, 3, 16, 3, 30, tzinfo=UTC)


def test_turn_on_the_feed_copy_its_url_and_fetch_it(live_server, browser, make, world):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, "ann@example.com")
        page.goto(f"{live_server}/profile")
        page.click("text=Calendar feed settings")
        page.click("button:has-text('Turn on my calendar feed')")
        url = page.input_value("#feed-url")
        page.click("button[data-copy=feed-url]")
        page.wait_for_selector("[data-copy-status]:has-text('Copied.')")
        assert page.evaluate("navigator.clipboard.readText()") == url
        page.goto(f"{live_server}/calendar/feed")
        assert "The feed is on" in page.inner_text("main")
        assert page.locator("#feed-url").count() == 0  # shown once only
    finally:
        context.close()
    # A calendar app has no session: fetch it as one would, from the served path.
    with urllib.request.urlopen(live_server + urlsplit(url).path, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Ship it"
    assert event.decoded("DTSTART") == LATE_MONDAY
