"""Tasks over the API: the same effects as the pages (history, webhooks, notifications),
ETags, the Trash, scopes, validation."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from app.core.database import utcnow
from app.extensions import db
from app.history.models import TaskActivity
from app.notifications.models import Notification
from app.tasklist.models import Task, TaskStatus
from app.tasklist.service import change_status
from app.webhooks.models import WebhookDelivery, WebhookSubscription


def subscribe(app: Flask, project: int, by: int) -> None:
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=project,
                created_by_id=by,
                url="https://hooks.example.com/in",
                secret="s" * 32,
                events="task.created task.updated task.completed task.deleted",
            )
        )
        db.session.commit()


def notified(app: Flask, user_id: int, timeout: float = 15.0) -> bool:
    """Whether the person got an in-app notification (the worker makes them after commit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user_id)
            ):
                return True
        time.sleep(0.1)
    return False


def counts(app: Flask, task_id: int) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(TaskActivity)
                .where(TaskActivity.task_id == task_id)
            )
            or 0,
            db.session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0,
            db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.task_id == task_id)
            )
            or 0,
        )


def test_creating_for_an_assignee_notifies_them_in_the_app(
    app, make, api_as, celery_worker
) -> None:
    ann, bob = make.user(name="Ann"), make.user(name="Bob")
    project = make.project(ann, members=(bob,))
    api = api_as(ann)
    response = api.post(
        f"/api/v1/projects/{project}/tasks",
        json={"title": "Ship it", "assignee_id": bob, "due_at": "2030-01-02T09:00:00+00:00"},
    )
    assert response.status_code == 201, response.json
    task_id = response.json["id"]
    assert response.headers["Location"].endswith(f"/api/v1/tasks/{task_id}")
    assert response.headers["ETag"].startswith('"')
    history, _, _ = counts(app, task_id)
    assert history >= 1
    assert notified(app, bob)


def test_an_assignee_outside_the_project_is_a_422(make, api_as) -> None:
    ann, stranger = make.user(), make.user()
    project = make.project(ann)
    response = api_as(ann).post(
        f"/api/v1/projects/{project}/tasks", json={"title": "X", "assignee_id": stranger}
    )
    assert response.status_code == 422
    assert "members" in response.json["detail"]


def test_validation_errors_name_the_field(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    response = api_as(ann).post(f"/api/v1/projects/{project}/tasks", json={"priority": "urgent"})
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert {error["field"] for error in response.json["errors"]} >= {"title", "priority"}
    blank = api_as(ann).post(f"/api/v1/projects/{project}/tasks", json={"title": "   "})
    assert blank.status_code == 422 and blank.json["errors"][0]["field"] == "title"


def test_update_complete_reopen_and_history(app, make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    subscribe(app, project, ann)
    task = make.task(project, ann, title="Draft")
    api = api_as(ann)
    etag = api.get(f"/api/v1/tasks/{task}").headers["ETag"]
    changed = api.patch(
        f"/api/v1/tasks/{task}", json={"title": "Final"}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200 and changed.json["title"] == "Final"
    assert changed.headers["ETag"] != etag
    done = api.post(f"/api/v1/tasks/{task}/complete")
    assert done.status_code == 200 and done.json["status"] == "completed"
    assert done.json["completed_at"]
    assert api.post(f"/api/v1/tasks/{task}/reopen").json["status"] == "pending"
    history, deliveries, _ = counts(app, task)
    assert history >= 3 and deliveries >= 2


def test_a_stale_etag_is_a_412_and_changes_nothing(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    task = make.task(project, ann, title="Mine")
    api = api_as(ann)
    old = api.get(f"/api/v1/tasks/{task}").headers["ETag"]
    api.patch(f"/api/v1/tasks/{task}", json={"priority": "high"})
    response = api.patch(
        f"/api/v1/tasks/{task}", json={"title": "Theirs"}, headers={"If-Match": old}
    )
    assert response.status_code == 412
    assert response.headers["Content-Type"] == "application/problem+json"
    assert make.get(Task, task).title == "Mine"
    assert api.delete(f"/api/v1/tasks/{task}", headers={"If-Match": old}).status_code == 412
    assert make.get(Task, task).deleted_at is None


def test_if_none_match_answers_304(make, api_as) -> None:
    ann = make.user()
    task = make.task(make.project(ann), ann)
    api = api_as(ann)
    etag = api.get(f"/api/v1/tasks/{task}").headers["ETag"]
    response = api.get(f"/api/v1/tasks/{task}", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["ETag"] == etag


def test_delete_goes_to_the_trash_and_restore_brings_it_back(make, api_as) -> None:
    ann = make.user()
    task = make.task(make.project(ann), ann)
    api = api_as(ann)
    assert api.delete(f"/api/v1/tasks/{task}").status_code == 204
    assert make.get(Task, task).deleted_at is not None
    for response in (api.get(f"/api/v1/tasks/{task}"), api.patch(f"/api/v1/tasks/{task}", json={})):
        assert response.status_code == 404
        assert response.json["detail"].startswith("This task is in the Trash")
    restored = api.post(f"/api/v1/tasks/{task}/restore")
    assert restored.status_code == 200 and make.get(Task, task).deleted_at is None
    assert api.post(f"/api/v1/tasks/{task}/restore").status_code == 409


def test_a_read_only_token_cannot_write(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    task = make.task(project, ann)
    api = api_as(ann, ("read",))
    assert api.get(f"/api/v1/tasks/{task}").status_code == 200
    assert api.post(f"/api/v1/projects/{project}/tasks", json={"title": "X"}).status_code == 403
    assert api.patch(f"/api/v1/tasks/{task}", json={"title": "X"}).status_code == 403
    assert api.delete(f"/api/v1/tasks/{task}").status_code == 403
    assert api.post(f"/api/v1/tasks/{task}/complete").status_code == 403
    assert make.get(Task, task).status == TaskStatus.PENDING


def test_another_teams_ids_are_not_found_for_every_method(make, api_as) -> None:
    ann, eve = make.user(), make.user()
    theirs = make.project(eve)
    task = make.task(theirs, eve)
    api = api_as(ann)
    calls = [
        ("GET", f"/api/v1/projects/{theirs}/tasks", None),
        ("POST", f"/api/v1/projects/{theirs}/tasks", {"title": "X"}),
        ("GET", f"/api/v1/tasks/{task}", None),
        ("PATCH", f"/api/v1/tasks/{task}", {"title": "X"}),
        ("DELETE", f"/api/v1/tasks/{task}", None),
        ("POST", f"/api/v1/tasks/{task}/restore", None),
        ("POST", f"/api/v1/tasks/{task}/complete", None),
        ("POST", f"/api/v1/tasks/{task}/reopen", None),
        ("GET", f"/api/v1/tasks/{task}/comments", None),
        ("POST", f"/api/v1/tasks/{task}/comments", {"body": "hi"}),
    ]
    for method, url, body in calls:
        response = api.open(method, url, json=body)
        assert response.status_code == 404, (method, url)
    assert make.get(Task, task).title != "X" and make.get(Task, task).deleted_at is None


def test_comments_post_and_list_with_mentions(app, make, api_as, celery_worker) -> None:
    ann, bob = make.user(name="Ann"), make.user(name="Bob")
    task = make.task(make.project(ann, members=(bob,)), ann)
    api = api_as(ann)
    for n in range(3):
        assert (
            api.post(f"/api/v1/tasks/{task}/comments", json={"body": f"@Bob look {n}"}).status_code
            == 201
        )
    first = api.get(f"/api/v1/tasks/{task}/comments?limit=2")
    assert [c["body"] for c in first.json] == ["@Bob look 0", "@Bob look 1"]
    next_url = first.headers["Link"].split(">")[0].lstrip("<")
    rest = api.get(next_url)
    assert [c["body"] for c in rest.json] == ["@Bob look 2"] and "Link" not in rest.headers
    assert notified(app, bob)
    assert api.post(f"/api/v1/tasks/{task}/comments", json={"body": ""}).status_code == 422


def test_an_aware_due_date_round_trips(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    made = api.post(
        f"/api/v1/projects/{project}/tasks",
        json={"title": "T", "due_at": "2030-05-01T10:00:00+02:00"},
    )
    got = datetime.fromisoformat(made.json["due_at"])
    assert got == datetime(2030, 5, 1, 8, 0, tzinfo=UTC)


def history_of(app: Flask, task_id: int) -> list[tuple[str, str | None]]:
    """A task's history rows as (kind, field), in order."""
    with app.app_context():
        return [
            (row.kind, row.field)
            for row in db.session.scalars(
                select(TaskActivity)
                .where(TaskActivity.task_id == task_id)
                .order_by(TaskActivity.id)
            )
        ]


def test_create_edit_complete_delete_leave_what_the_pages_leave(
    app, make, auth, client, api_as
) -> None:
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(name="Bob")
    web_project = make.project(ann, members=(bob,), name="Web")
    api_project = make.project(ann, members=(bob,), name="Api")
    subscribe(app, web_project, ann)
    subscribe(app, api_project, ann)
    fields = {"title": "Ship", "description": "", "status": "pending", "priority": "high"}

    auth.login("ann@example.com")
    client.post(
        f"/projects/{web_project}/tasks/new",
        data={**fields, "due_at": "", "assignee_id": str(bob)},
    )
    with app.app_context():
        web_task = db.session.scalars(select(Task.id).where(Task.project_id == web_project)).one()
    client.post(
        f"/task/{web_task}/edit",
        data={**fields, "title": "Shipped", "due_at": "", "assignee_id": str(bob)},
    )
    with app.app_context():
        # What the Complete button's job runs (the page queues it for the worker).
        change_status(db.session, web_task, "completed", utcnow(), actor_id=ann)
        db.session.commit()
    client.post(f"/task/{web_task}/delete")
    auth.logout()

    api = api_as(ann)
    api_task = api.post(
        f"/api/v1/projects/{api_project}/tasks", json={**fields, "assignee_id": bob}
    ).json["id"]
    api.patch(f"/api/v1/tasks/{api_task}", json={"title": "Shipped"})
    api.post(f"/api/v1/tasks/{api_task}/complete")
    api.delete(f"/api/v1/tasks/{api_task}")

    assert history_of(app, api_task) == history_of(app, web_task) != []
    with app.app_context():
        by_project = {
            project: [
                d.event
                for d in db.session.scalars(
                    select(WebhookDelivery)
                    .join(
                        WebhookSubscription,
                        WebhookSubscription.id == WebhookDelivery.subscription_id,
                    )
                    .where(WebhookSubscription.project_id == project)
                    .order_by(WebhookDelivery.id)
                )
            ]
            for project in (web_project, api_project)
        }
    assert by_project[api_project] == by_project[web_project] and by_project[web_project]
