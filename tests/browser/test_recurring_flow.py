"""A person makes a weekly chore in Chromium and sees the worker turn it into a task."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.database import utcnow
from app.core.timezones import datetime_local_value, to_local
from app.recurring.jobs import process_recurring_tasks
from app.recurring.rules import WEEKDAYS

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "a good long password")
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base_url}/")


def test_a_weekly_chore_is_made_in_the_browser_and_appears_as_a_task(live_server, page, make):
    owner = make.user(
        email="rita@example.com", password="a good long password", timezone="Europe/Berlin"
    )
    project = make.project(owner, name="Office")
    log_in(page, live_server, "rita@example.com")
    page.goto(f"{live_server}/projects/{project}/tasks")
    page.click("text=Recurring")
    page.click("text=New recurring task")
    page.wait_for_url("**/recurring/new")
    page.wait_for_load_state("load")
    assert not page.is_visible(".repeat-weekly"), "only the chosen repeat's details show"
    page.fill("input[name=title]", "Water the office plants")
    page.check("input[name=frequency][value=weekly]")
    assert page.is_visible(".repeat-weekly") and not page.is_visible(".repeat-custom")
    soon = utcnow() + timedelta(hours=2)
    # Its own weekday and Sunday: the first occurrence is due in two hours.
    today = WEEKDAYS[to_local(soon, "Europe/Berlin").weekday()]
    for day in {today, "SU"}:
        page.check(f"input[name=weekdays][value={day}]")
    page.fill("input[name=starts]", datetime_local_value(soon, "Europe/Berlin"))
    page.click("button:has-text('Create recurring task')")
    page.wait_for_url("**/recurring/*")
    text = page.inner_text("main")
    assert "Every " in text and "Sunday at" in text
    assert "None yet" in text

    # Beat would run it within five minutes; here the real worker runs it now.
    process_recurring_tasks.delay().get(timeout=30)
    page.reload()
    assert "Water the office plants" in page.inner_text("table")
    page.click("table >> text=Water the office plants")
    page.wait_for_url("**/task/*")
    assert "Part of a recurring series" in page.inner_text("main")
    page.goto(f"{live_server}/projects/{project}/recurring")
    assert "Water the office plants" in page.inner_text("table")
