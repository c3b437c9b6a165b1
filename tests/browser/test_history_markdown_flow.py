"""A person edits a task and sees the change in its history; writes a Markdown comment with a
mention and sees it rendered, the mention a link to the person's tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def team(make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, name="Garden", members=(bob,))
    task = make.task(project, ann, title="Plant the tulips")
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base_url}/")


def test_an_edit_shows_in_the_task_history(live_server, page, team):
    log_in(page, live_server)
    page.goto(f"{live_server}/task/{team['task']}")
    page.click("a:has-text('Edit')")
    page.select_option("select[name=status]", "in_progress")
    page.select_option("select[name=assignee_id]", str(team["bob"]))
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/task/{team['task']}")
    history = page.locator("#history .history-what")
    assert history.all_inner_texts()[:2] == [
        "Ann moved it from Pending to In progress",
        "Ann assigned it to Bob",
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_markdown_comment_renders_with_its_mention(live_server, page, team, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server}/task/{team['task']}")
    page.fill(
        "textarea[name=body]",
        "This is **bold**, @bob please:\n\n- dig\n- plant\n\nSee [the guide](https://example.com/tulips)",
    )
    with page.expect_navigation():
        page.click("button:has-text('Post comment')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"markdown-comment-{width}.png"), full_page=True)
    body = page.locator(".comment-body").last
    assert body.locator("strong").inner_text() == "bold"
    assert body.locator("li").all_inner_texts() == ["dig", "plant"]
    link = body.locator("a:has-text('the guide')")
    assert link.get_attribute("href") == "https://example.com/tulips"
    assert "nofollow" in (link.get_attribute("rel") or "")
    mention = body.locator("a.mention")
    assert mention.inner_text() == "@bob"
    latest = page.locator("#history .history-what").first.inner_text()
    assert latest == "Ann commented: “This is bold, @bob please: dig plant See the guide”"
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    mention.click()
    page.wait_for_url(f"**/projects/{team['project']}/tasks?assignee={team['bob']}")
