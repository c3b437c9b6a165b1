"""A person registers, creates a project and a task, completes it, and sees the worker's change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.tasklist.models import Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def berlin_days_ahead(days: int, at: time) -> datetime:
    """`at` on the Berlin day `days` from now. The pages refuse a reminder that has passed and a
    due date over ten years ahead, by the server's clock (this process's, moved by make
    test-clock); Chromium's clock cannot be moved, so the dates follow now, not the calendar."""
    day = (datetime.now(BERLIN) + timedelta(days=days)).date()
    return datetime.combine(day, at, tzinfo=BERLIN)


def form_value(moment: datetime) -> str:
    """What a datetime-local field holds."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def shown(moment: datetime) -> str:
    """'Mon 01 Apr 2030, 09:30 CEST', as the pages write a moment in English."""
    weekday, month = WEEKDAYS[moment.weekday()], MONTHS[moment.month - 1]
    return f"{weekday} {moment:%d} {month} {moment:%Y}, {moment:%H:%M} {moment.tzname()}"


def register(page, base_url: str) -> None:
    page.goto(f"{base_url}/register")
    page.fill("input[name=name]", "Robin Tester")
    page.fill("input[name=email]", "robin@example.com")
    page.fill("input[name=password]", "a good long password")
    page.fill("input[name=confirm]", "a good long password")
    page.click("button:has-text('Register')")


def test_register_create_project_and_task_then_complete_through_the_worker(
    live_server, page, app, smtp
):
    register(page, live_server)
    # Signing up ends with the emailed confirmation link, which logs the person in.
    page.wait_for_url("**/login")
    assert "Check your inbox" in page.content()
    [message] = smtp.wait_for(1)
    link = re.search(r"https?://\S+/verify-email/\S+", message.get_body(("plain",)).get_content())
    assert link, "the confirmation email has a link"
    page.goto(live_server + "/verify-email/" + link.group(0).rsplit("/", 1)[1])
    # Opening the link only shows a button, so a mail scanner cannot use it up.
    page.click("button:has-text('Confirm my address and log in')")
    page.wait_for_url("**/projects/new")
    assert "Welcome to Tickler, Robin Tester" in page.content()
    # The browser's own zone was picked up on the registration form.
    with app.app_context():
        assert db.session.scalar(select(User.timezone)) == "Europe/Berlin"

    page.fill("input[name=name]", "Garden makeover")
    page.click("button:has-text('Create project')")
    page.wait_for_url("**/projects/*/tasks")

    page.click("text=New task")
    page.fill("input[name=title]", "Plant the tulips")
    page.select_option("select[name=priority]", "high")
    due = berlin_days_ahead(120, time(9, 30))
    page.fill("input[name=due_at]", form_value(due))
    page.click("button:has-text('Create task')")
    page.wait_for_url("**/task/*")
    assert page.locator("#task-status [data-status]").get_attribute("data-status") == "pending"
    assert shown(due) in page.content()

    page.click("button:has-text('Mark complete')")
    # The page polls until the worker has applied the change, then shows it.
    page.wait_for_selector("#task-status [data-status=completed]", timeout=20_000)
    assert page.locator(".pending").count() == 0
    with app.app_context():
        task = db.session.scalar(select(Task))
        assert task.status == TaskStatus.COMPLETED
        assert task.completed_at is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-completed.png"), full_page=True)


def test_pages_fit_a_phone_screen(live_server, browser, make):
    owner = make.user(email="phone@example.com", password="a good long password")
    project = make.project(owner, name="A project with a rather long name for a small screen")
    for n in range(5):
        make.task(
            project,
            owner,
            title=f"Task number {n} with a title long enough to wrap",
            assignee_id=owner,
        )
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", "phone@example.com")
        page.fill("input[name=password]", "a good long password")
        page.click("button:has-text('Log in')")
        page.wait_for_url(f"{live_server}/")
        for path in ("/", "/projects/", f"/projects/{project}/tasks", "/profile"):
            page.goto(f"{live_server}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    finally:
        context.close()


def test_a_reminder_at_a_chosen_time_is_set_from_the_task_page(live_server, page, make, app):
    from app.reminders.models import TaskReminder

    owner = make.user(
        email="rem@example.com", password="a good long password", timezone="Europe/Berlin"
    )
    project = make.project(owner)
    undated = make.task(project, owner, title="Someday")
    due = berlin_days_ahead(60, time(11, 0))
    task = make.task(project, owner, title="Renew passport", due_at=due.astimezone(UTC))
    remind_at = berlin_days_ahead(30, time(8, 15))
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "rem@example.com")
    page.fill("input[name=password]", "a good long password")
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{live_server}/")
    # Without a due date, a chosen time is the only kind of reminder: its field shows at once.
    page.goto(f"{live_server}/task/{undated}")
    assert page.is_visible("input[name=at]"), "an undated task asks for the time straight away"
    page.goto(f"{live_server}/task/{task}")
    assert not page.is_visible("input[name=at]"), "the time field waits for 'At a time I choose'"
    page.select_option("select[name=when]", "at")
    page.fill("input[name=at]", form_value(remind_at))
    page.click("button:has-text('Set reminder')")
    page.wait_for_selector(".reminder-list li")
    assert shown(remind_at) in page.inner_text(".reminder-list")
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(db.select(TaskReminder.task_id)) == task
