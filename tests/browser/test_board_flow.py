"""The board in Chromium: a real drag to another column, moves by keyboard, and the buttons
without JavaScript; each change is saved and still there after a reload."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.board.queries import column_ids
from app.extensions import db
from app.tasklist.models import Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PASSWORD = "a good long password"


@pytest.fixture
def world(make):
    owner = make.user(email="kim@example.com", name="Kim Lee", password=PASSWORD)
    project = make.project(owner, name="Garden")
    ids = {
        title: make.task(project, owner, title=title, status=status)
        for title, status in (
            ("Dig the beds", TaskStatus.PENDING),
            ("Buy seeds", TaskStatus.PENDING),
            ("Fix the fence", TaskStatus.IN_PROGRESS),
        )
    }
    return {"project": project, **ids}


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "kim@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def status_of(app, task_id):
    with app.app_context():
        return db.session.scalar(select(Task.status).where(Task.id == task_id))


def card(page: Any, task_id: int) -> Any:
    return page.locator(f".board-card[data-task-id='{task_id}']")


def column_of_card(page: Any, task_id: int) -> str:
    return card(page, task_id).evaluate("el => el.closest('.board-cards').dataset.status")


def test_dragging_a_card_to_another_column_changes_its_status(live_server, page, app, world):
    log_in(page, live_server)
    page.goto(f"{live_server}/projects/{world['project']}/board")
    source = card(page, world["Dig the beds"]).locator(".board-card-meta").bounding_box()
    target = page.locator(".board-cards[data-status='blocked']").bounding_box()
    page.mouse.move(source["x"] + 10, source["y"] + 5)
    page.mouse.down()
    page.mouse.move(source["x"] + 30, source["y"] + 20, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 20, steps=20)
    page.mouse.up()
    page.wait_for_function(
        "() => document.getElementById('board-announce').textContent.includes('Saved')"
    )
    assert "Blocked" in page.text_content("#board-announce")
    assert status_of(app, world["Dig the beds"]) == TaskStatus.BLOCKED
    page.reload()
    assert column_of_card(page, world["Dig the beds"]) == "blocked"
    assert page.text_content(".board-column:nth-child(3) [data-count]") == "1"


def test_a_focused_card_moves_with_the_arrow_keys(live_server, page, app, world):
    log_in(page, live_server)
    page.goto(f"{live_server}/projects/{world['project']}/board")
    card(page, world["Buy seeds"]).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.getElementById('board-announce').textContent.includes('Saved')"
    )
    assert "In progress" in page.text_content("#board-announce")
    assert status_of(app, world["Buy seeds"]) == TaskStatus.IN_PROGRESS
    # Its buttons follow it: "To Pending" now, no "To In progress", no Up at the top.
    shown = card(page, world["Buy seeds"]).locator("form[data-move]:not([hidden]) button")
    assert shown.all_text_contents() == ["Down", "To Pending", "To Blocked", "To Completed"]
    # It went to the top of In progress; one press down puts it below "Fix the fence".
    page.evaluate("() => { document.getElementById('board-announce').textContent = ''; }")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "() => document.getElementById('board-announce').textContent.includes('position 2 of 2')"
    )
    with app.app_context():
        order = column_ids(db.session, world["project"], TaskStatus.IN_PROGRESS)
    assert order == [world["Fix the fence"], world["Buy seeds"]]
    assert page.evaluate("document.activeElement.dataset.taskId") == str(world["Buy seeds"])
    page.reload()
    titles = page.locator(".board-cards[data-status='in_progress'] .board-card-title")
    assert titles.all_text_contents() == ["Fix the fence", "Buy seeds"]


def test_without_javascript_the_move_buttons_work(live_server, browser, app, world):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/projects/{world['project']}/board")
        moved = card(page, world["Buy seeds"])
        moved.locator("summary").click()
        moved.get_by_role("button", name="To Completed: Buy seeds").click()
        page.wait_for_selector(".flash-success")
        assert "“Buy seeds” moved to Completed." in page.text_content(".flash-success")
        assert status_of(app, world["Buy seeds"]) == TaskStatus.COMPLETED
        assert column_of_card(page, world["Buy seeds"]) == "completed"
        # Up within a column: "Buy seeds" was below "Dig the beds" before; move it back up.
        page.goto(f"{live_server}/projects/{world['project']}/board")
        other = card(page, world["Fix the fence"])
        other.locator("summary").click()
        other.get_by_role("button", name="To Pending: Fix the fence").click()
        page.wait_for_selector(".flash-success")
        dig = card(page, world["Dig the beds"])
        dig.locator("summary").click()
        dig.get_by_role("button", name="Up: Dig the beds").click()
        page.wait_for_selector(".flash-success")
        titles = page.locator(".board-cards[data-status='pending'] .board-card-title")
        assert titles.all_text_contents() == ["Dig the beds", "Fix the fence"]
    finally:
        context.close()
