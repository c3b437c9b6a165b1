"""Quick add in Chromium: the issue's line typed in the list's box, its live preview, the
preview page, Save, and the task as it was shown."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.extensions import db
from app.labels.models import Label, task_labels
from app.tasklist.models import Task, TaskPriority

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PASSWORD = "a good long password"
LINE = "Call supplier tomorrow 3pm !high @bob #ops"


def test_quick_add_previews_the_line_then_saves_it(live_server, page, app, make):
    kim = make.user(
        email="kim@example.com", name="Kim Lee", password=PASSWORD, timezone="Europe/Berlin"
    )
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(kim, name="Supplies", members=(bob,))
    with app.app_context():
        db.session.add(Label(project_id=project, name="ops"))
        db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "kim@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server}/projects/{project}/tasks")
    page.fill("#quick-add-text", LINE)
    # As you type: the server's reading of the line, under the box.
    live = page.locator("[data-quick-add-preview] [data-field=title]")
    live.wait_for()
    assert live.text_content() == "Call supplier"
    assert "Bob Builder" in page.text_content("[data-quick-add-preview]")

    page.click("button:has-text('Preview')")
    page.wait_for_url("**/quick-add?**")
    assert page.text_content("[data-field=title]") == "Call supplier"
    assert "from “tomorrow 3pm”" in page.text_content("[data-field=due]")
    assert page.text_content("[data-field=priority]").strip() == "High"
    assert page.text_content("[data-field=assignee]") == "Bob Builder"
    assert page.text_content("[data-field=labels]") == "#ops"
    read_at = datetime.fromisoformat(page.get_attribute("input[name=read_at]", "value"))

    page.click("button:has-text('Save task')")
    page.wait_for_url(f"**/projects/{project}/tasks")
    assert "Task “Call supplier” created, due" in page.text_content(".flash-success")
    assert page.locator(".task-table a", has_text="Call supplier").count() == 1
    berlin = ZoneInfo("Europe/Berlin")
    tomorrow = read_at.astimezone(berlin).date() + timedelta(days=1)
    with app.app_context():
        task = db.session.scalar(select(Task))
        assert task.due_at == datetime.combine(tomorrow, time(15), tzinfo=berlin)
        assert (task.priority, task.assignee_id) == (TaskPriority.HIGH, bob)
        assert db.session.scalar(select(task_labels.c.task_id)) == task.id


def test_a_line_with_an_unknown_handle_says_so_and_offers_no_save(live_server, page, make):
    owner = make.user(email="lee@example.com", password=PASSWORD)
    project = make.project(owner)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "lee@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server}/projects/{project}/board")
    page.fill("#quick-add-text", "Order paint @nobody")
    page.click("button:has-text('Preview')")
    page.wait_for_url("**/quick-add?**")
    assert "Nobody in this project goes by @nobody" in page.text_content(".quick-add-problems")
    assert page.locator("button:has-text('Save task')").count() == 0
    assert page.input_value("#quick-add-text") == "Order paint @nobody"
    page.click("text=Back to the board")
    page.wait_for_url(f"**/projects/{project}/board")
