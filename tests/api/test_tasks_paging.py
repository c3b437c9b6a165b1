"""The task list over the API: the web's order, cursor pages that visit each task once, a fixed
number of statements per page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.tasklist.models import Task, TaskPriority, TaskStatus, in_use
from app.tasklist.service import apply_sort

START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


def many_tasks(app: Flask, project: int, owner: int, count: int) -> None:
    with app.app_context():
        priorities = list(TaskPriority)
        for n in range(count):
            db.session.add(
                Task(
                    project_id=project,
                    creator_id=owner,
                    title=f"Task {n}",
                    priority=priorities[n % 4],
                    status=TaskStatus.COMPLETED if n % 7 == 0 else TaskStatus.PENDING,
                    completed_at=START if n % 7 == 0 else None,
                    # Ties and missing dates on purpose: the id breaks them.
                    due_at=None if n % 5 == 0 else START + timedelta(days=n % 9),
                )
            )
        db.session.commit()


def web_order(app: Flask, project: int, sort: str) -> list[int]:
    with app.app_context():
        query = select(Task.id).where(Task.project_id == project, in_use())
        return list(db.session.scalars(apply_sort(query, sort)))


@pytest.mark.parametrize("sort", ["due", "-due", "priority", "created"])
def test_cursor_pages_visit_each_task_once_in_the_web_order(
    app, make, api_as, count_queries, sort: str
) -> None:
    ann = make.user()
    project = make.project(ann)
    many_tasks(app, project, ann, 120)
    api = api_as(ann)
    seen: list[int] = []
    url: str | None = f"/api/v1/projects/{project}/tasks?limit=25&sort={sort}"
    statements_per_page = []
    while url:
        with count_queries() as statements:
            response = api.get(url)
        assert response.status_code == 200, response.json
        statements_per_page.append(len(statements))
        seen.extend(task["id"] for task in response.json)
        link = response.headers.get("Link")
        url = link.split(">")[0].lstrip("<") if link else None
    assert seen == web_order(app, project, sort)
    assert len(statements_per_page) == 5
    # The same statements for every page (the first one also notes the token's use: an
    # UPDATE, and the token and person read again after its commit).
    first, *rest = statements_per_page
    assert len(set(rest)) == 1 and rest[0] <= 6 and first <= rest[0] + 3


def test_filters_are_the_web_lists(app, make, api_as) -> None:
    ann, bob = make.user(), make.user()
    project = make.project(ann, members=(bob,))
    mine = make.task(project, ann, assignee_id=bob, priority=TaskPriority.HIGH)
    make.task(project, ann, priority=TaskPriority.HIGH)
    make.task(project, ann, assignee_id=bob, status=TaskStatus.COMPLETED)
    api = api_as(ann)
    response = api.get(
        f"/api/v1/projects/{project}/tasks?assignee={bob}&priority=high&status=pending"
    )
    assert [task["id"] for task in response.json] == [mine]


def test_bad_paging_input_is_a_422(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    for query in ("limit=0", "limit=201", "sort=sideways", "cursor=nonsense", "status=done"):
        response = api.get(f"/api/v1/projects/{project}/tasks?{query}")
        assert response.status_code == 422, query
