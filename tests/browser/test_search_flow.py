"""A person searches from the top bar: "/" focuses the box, results come highlighted, a filter
narrows them, a result opens its task; on a phone the box unfolds from its button."""

from __future__ import annotations

import pytest

from app.comments.models import Comment
from app.extensions import db
from app.tasklist.models import TaskStatus
from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser]


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_search_from_the_top_bar_filter_and_open_a_result(live_server, page, app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    garden = make.project(ann, name="Garden")
    make.task(garden, ann, title="Order tulip bulbs", status=TaskStatus.BLOCKED)
    chores = make.task(garden, ann, title="Spring chores")
    make.task(garden, ann, title="Mow the lawn")
    with app.app_context():
        db.session.add(Comment(task_id=chores, author_id=ann, body="Plant the tulips by May"))
        db.session.commit()
    other = make.user(email="zed@example.com")
    make.task(make.project(other, name="Zed's"), other, title="Zed's tulip secret")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "ann@example.com")
    page.keyboard.press("/")
    box = page.locator("#topsearch-q")
    assert box.evaluate("el => el === document.activeElement"), "/ focuses the search box"
    page.keyboard.type("tulip")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=tulip")
    results = page.locator(".search-result")
    assert results.count() == 2
    assert page.locator(".search-result mark").first.inner_text().lower().startswith("tulip")
    assert "In a comment by Ann:" in page.locator(".search-result", has_text="Spring").inner_text()
    assert "Zed" not in page.content()

    page.locator(".search-filters summary").click()
    page.locator("label.chip", has_text="Blocked").click()
    page.click("button:has-text('Apply')")
    page.wait_for_url("**status=blocked**")
    assert results.count() == 1
    page.locator(".search-result a.task-title").click()
    page.wait_for_url("**/task/*")
    assert "Order tulip bulbs" in page.locator("h1").inner_text()


def test_on_a_phone_the_button_unfolds_the_box(live_server, page, app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    make.task(make.project(ann, name="Garden"), ann, title="Order tulip bulbs")
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "ann@example.com")
    box = page.locator("#topsearch-q")
    assert not box.is_visible(), "folded behind its button on a phone"
    page.locator(".topsearch-button").click()
    assert box.is_visible()
    box.fill("bulbs")
    box.press("Enter")
    page.wait_for_url("**/search?q=bulbs")
    assert page.locator(".search-result mark").inner_text() == "bulbs"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
