"""The task page's History section and the page of a task's whole history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.history.models import TaskActivity
from app.history.template_globals import HISTORY_ON_TASK_PAGE
from app.history.views import HISTORY_PER_PAGE

START = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.fixture
def team(make, auth):
    """Ann (in Tokyo) owns a project Bob belongs to; Ann is logged in."""
    ann = make.user(email="ann@example.com", name="Ann", timezone="Asia/Tokyo")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Paint the shed")
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def add_history(app, task_id: int, project_id: int, count: int) -> None:
    """`count` renames, a minute apart, the newest last."""
    with app.app_context():
        db.session.add_all(
            TaskActivity(
                task_id=task_id,
                project_id=project_id,
                actor_id=None,
                actor_name="Bob",
                kind="changed",
                field="title",
                old_value=f"Name {n}",
                new_value=f"Name {n + 1}",
                created_at=START + timedelta(minutes=n),
            )
            for n in range(count)
        )
        db.session.commit()


def history_section(page: str) -> str:
    return re.search(r'<section class="card" id="history".*?</section>', page, flags=re.S)[0]


def test_editing_a_task_shows_who_changed_what_on_its_page(client, team):
    edit = {
        "title": "Paint the shed",
        "description": "",
        "status": "in_progress",
        "priority": "medium",
        "due_at": "",
        "assignee_id": str(team["bob"]),
    }
    assert client.post(f"/task/{team['task']}/edit", data=edit).status_code == 302
    section = history_section(client.get(f"/task/{team['task']}").data.decode())
    assert "Ann moved it from Pending to In progress" in section
    assert "Ann assigned it to Bob" in section
    assert "Show all history" not in section


def test_the_task_page_shows_the_newest_lines_in_my_zone_and_links_to_the_rest(app, client, team):
    add_history(app, team["task"], team["project"], HISTORY_ON_TASK_PAGE + 2)
    section = history_section(client.get(f"/task/{team['task']}").data.decode())
    lines = re.findall(r'<span class="history-what">(.*?)</span>', section)
    newest = HISTORY_ON_TASK_PAGE + 1
    assert len(lines) == HISTORY_ON_TASK_PAGE
    assert lines[0] == f"Bob renamed it from “Name {newest}” to “Name {newest + 1}”"
    # 23:30 UTC plus eleven minutes is 08:41 the next morning in Tokyo.
    assert "Tue 01 Dec 2026, 08:41 JST" in section
    assert f'href="/task/{team["task"]}/history"' in section and "Show all history" in section


def test_the_history_page_is_paged_newest_first(app, client, team):
    add_history(app, team["task"], team["project"], HISTORY_PER_PAGE + 3)
    first = client.get(f"/task/{team['task']}/history").data.decode()
    assert first.count('class="history-what"') == HISTORY_PER_PAGE
    assert f"Page 1 of 2 · {HISTORY_PER_PAGE + 3} changes" in first
    second = client.get(f"/task/{team['task']}/history?page=2").data.decode()
    assert second.count('class="history-what"') == 3
    assert "Bob renamed it from “Name 0” to “Name 1”" in second


def test_another_teams_task_history_is_not_found(client, make, auth, team):
    outsider = make.user(email="cy@example.com", name="Cy")
    other = make.task(make.project(outsider, name="Theirs"), outsider)
    assert client.get(f"/task/{other}/history").status_code == 404
    auth.logout()
    auth.login("cy@example.com")
    assert client.get(f"/task/{team['task']}/history").status_code == 404
    assert client.get(f"/task/{team['task']}").status_code == 404


def test_history_queries_do_not_grow_with_the_history(app, client, team, count_queries):
    add_history(app, team["task"], team["project"], 2)
    with count_queries() as few_task:
        client.get(f"/task/{team['task']}")
    with count_queries() as few_history:
        client.get(f"/task/{team['task']}/history")
    add_history(app, team["task"], team["project"], HISTORY_PER_PAGE + 20)
    with count_queries() as many_task:
        assert client.get(f"/task/{team['task']}").status_code == 200
    with count_queries() as many_history:
        assert client.get(f"/task/{team['task']}/history").status_code == 200
    assert len(many_task) == len(few_task)
    assert len(many_history) == len(few_history)
