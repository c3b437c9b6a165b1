"""A person makes a label, sets it on a task, filters by it; builds a checklist, reorders it,
checks it off and accepts the offer to complete the task. Keyboard and no-script forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.checklists.models import ChecklistItem
from app.extensions import db
from app.tasklist.models import Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def workspace(make):
    ann = make.user(email="ann@example.com", name="Ann", password="correct horse battery staple")
    project = make.project(ann, name="Garden")
    deploy = make.task(project, ann, title="Plant the tulips")
    make.task(project, ann, title="Mow the lawn")
    return {"ann": ann, "project": project, "task": deploy}


def test_create_a_label_set_it_on_a_task_and_filter_by_it(live_server, page, workspace):
    log_in(page, live_server, "ann@example.com")
    page.goto(f"{live_server}/projects/{workspace['project']}/tasks")
    page.click(".project-views >> text=Labels")
    page.fill("#new-label-name", "outdoors")
    page.check("#new-color-3")  # red preset
    page.click("button:has-text('Create label')")
    assert "Label “outdoors” created." in page.content()
    chip = page.locator(".label-list .label-chip", has_text="outdoors")
    # Painted under the Content-Security-Policy (no style attributes): red, white text.
    colors = chip.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
    assert colors == ["rgb(179, 38, 30)", "rgb(255, 255, 255)"]
    # labels.js painted it too, through the CSSOM: what browsers without typed attr() show.
    assert chip.evaluate("e => e.style.backgroundColor") == "rgb(179, 38, 30)"

    # A custom color: picking it selects "Custom" and previews the chip with dark text on it.
    page.fill("#new-label-name", "sunny")
    page.fill("form.label-form >> nth=0 >> input[type=color]", "#f9d94a")
    assert page.is_checked("#new-color-custom")
    preview = page.locator("#new-preview")
    assert preview.inner_text() == "#f9d94a"
    assert preview.evaluate("e => getComputedStyle(e).color") == "rgb(17, 17, 17)"
    page.click("button:has-text('Create label')")
    assert "Label “sunny” created." in page.content()

    page.goto(f"{live_server}/task/{workspace['task']}")
    page.click("summary:has-text('Change labels')")
    page.check("label.chip:has-text('outdoors') input")
    page.click("button:has-text('Save labels')")
    assert "Labels saved." in page.content()
    assert page.locator(".task-labels .label-chip", has_text="outdoors").count() == 1

    page.goto(f"{live_server}/projects/{workspace['project']}/tasks")
    page.check("form.filters label.chip:has-text('outdoors') input")
    page.click("form.filters button:has-text('Apply')")
    page.wait_for_url("**label=*")
    rows = page.locator(".task-table tbody tr")
    assert rows.count() == 1
    assert "Plant the tulips" in rows.first.inner_text()
    assert "outdoors" in rows.first.inner_text()


def test_build_a_checklist_reorder_check_all_and_complete(live_server, page, app, workspace):
    log_in(page, live_server, "ann@example.com")
    page.goto(f"{live_server}/task/{workspace['task']}")
    for text in ("Buy bulbs", "Dig holes", "Water"):
        page.fill("#checklist-new", text)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the keyboard submits the add form
    texts = page.locator(".checklist-text")
    assert texts.all_inner_texts() == ["Buy bulbs", "Dig holes", "Water"]
    assert page.locator("#checklist-title .checklist-progress").inner_text() == "0/3"

    # "Water" up one, by keyboard: focus the button and press Enter.
    page.focus("button[aria-label='Move “Water” up']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert texts.all_inner_texts() == ["Buy bulbs", "Water", "Dig holes"]
    page.click("button[aria-label='Move “Buy bulbs” down']")
    assert texts.all_inner_texts() == ["Water", "Buy bulbs", "Dig holes"]

    for text in ("Water", "Buy bulbs"):
        page.click(f"button[aria-label='Check “{text}”']")
    assert "Mark task complete" not in page.content()
    page.click("button[aria-label='Check “Dig holes”']")
    offer = page.locator(".checklist-offer")
    assert "Every item is done" in offer.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})  # the offer on a phone, to look at
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#checklist").screenshot(path=str(ARTIFACTS / "checklist-offer-390.png"))
    with app.app_context():
        assert db.session.get(Task, workspace["task"]).status == TaskStatus.PENDING

    page.click("button:has-text('Mark task complete')")
    assert "Task “Plant the tulips” completed." in page.content()
    assert page.locator("#task-status [data-status]").get_attribute("data-status") == "completed"
    assert page.locator(".checklist-offer").count() == 0
    with app.app_context():
        assert db.session.get(Task, workspace["task"]).status == TaskStatus.COMPLETED
        positions = db.session.scalars(
            select(ChecklistItem.text).order_by(ChecklistItem.position)
        ).all()
        assert positions == ["Water", "Buy bulbs", "Dig holes"]
