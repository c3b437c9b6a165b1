"""In Chromium: delete a task and Undo, delete and restore from the Trash, reopen, archive and
unarchive, delete a project and restore it; buttons driven by keyboard where it matters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PASSWORD = "a good long password"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def olga(make) -> dict[str, int]:
    owner = make.user(email="olga@example.com", name="Olga", password=PASSWORD)
    project = make.project(owner, name="Garden")
    return {
        "owner": owner,
        "project": project,
        "open": make.task(project, owner, title="Plant the tulips"),
        "done": make.task(project, owner, title="Buy bulbs", status=TaskStatus.COMPLETED),
    }


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "olga@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def delete_from_task_page(page: Any, base: str, task_id: int) -> None:
    """Open the task, press Delete with the keyboard and accept the confirmation."""
    page.goto(f"{base}/task/{task_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/*/tasks")


def test_delete_then_undo_and_delete_then_restore_from_the_trash(live_server, page, make, olga):
    log_in(page, live_server)
    delete_from_task_page(page, live_server, olga["open"])
    flash = page.locator(".flash-with-action")
    assert "Task deleted." in flash.inner_text()
    assert page.locator("table.task-table", has_text="Plant the tulips").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=str(ARTIFACTS / f"trash-undo-flash-{width}.png"))
    flash.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/task/{olga['open']}")
    assert "is restored" in page.content()
    assert make.get(Task, olga["open"]).deleted_at is None

    delete_from_task_page(page, live_server, olga["open"])
    page.get_by_role("navigation", name="Views of Garden").get_by_role("link", name="Trash").click()
    page.wait_for_url("**/trash")
    row = page.locator("tr", has_text="Plant the tulips")
    assert "Olga" in row.inner_text() and "30 days" in row.inner_text()
    row.get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/task/{olga['open']}")
    assert make.get(Task, olga["open"]).deleted_at is None
    # A dismissed confirmation deletes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete").click()
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/task/{olga['open']}")
    assert make.get(Task, olga["open"]).deleted_at is None


def test_reopen_a_completed_task_then_archive_and_unarchive_it(live_server, page, make, olga):
    log_in(page, live_server)
    page.goto(f"{live_server}/task/{olga['done']}")
    page.get_by_role("button", name="Reopen").click()
    page.wait_for_selector("#task-status [data-status=pending]")
    assert make.get(Task, olga["done"]).status == TaskStatus.PENDING
    assert page.get_by_role("button", name="Archive").count() == 0, "open tasks are not archived"

    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_selector("#task-status [data-status=completed]", timeout=20_000)
    page.reload()
    page.get_by_role("button", name="Archive").click()
    page.wait_for_url("**/archive")
    assert "is archived" in page.content()
    assert make.get(Task, olga["done"]).archived_at is not None
    page.locator("tr", has_text="Buy bulbs").get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/task/{olga['done']}")
    assert make.get(Task, olga["done"]).archived_at is None


def test_the_owner_deletes_a_project_and_restores_it(live_server, page, make, olga):
    log_in(page, live_server)
    page.goto(f"{live_server}/projects/{olga['project']}/edit")
    page.get_by_role("link", name="Delete project…").click()
    page.wait_for_url("**/delete")
    page.get_by_role("button", name="Delete project").click()
    page.wait_for_url("**/projects/")
    assert page.locator(".project-grid", has_text="Garden").count() == 0
    deleted = page.locator(".deleted-project-list li", has_text="Garden")
    assert "30 days left" in deleted.inner_text()
    assert make.get(Project, olga["project"]).deleted_at is not None
    assert make.get(Task, olga["open"]).deleted_at is not None

    deleted.get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/projects/{olga['project']}/tasks")
    assert "Plant the tulips" in page.content()
    assert make.get(Project, olga["project"]).deleted_at is None
    assert make.get(Task, olga["open"]).deleted_at is None
