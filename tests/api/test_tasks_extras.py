"""Search, a task's labels and its checklist over the API: the same services as the pages."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.checklists.models import ChecklistItem
from app.extensions import db
from app.labels.queries import labels_for_tasks
from app.labels.service import create_label
from app.webhooks.models import WebhookDelivery
from tests.api.test_tasks import subscribe


def label(app: Flask, project: int, name: str) -> int:
    with app.app_context():
        made = create_label(db.session, project, name, "#00695c")
        db.session.commit()
        return made.id


def test_search_finds_tasks_in_my_live_projects_only(make, api_as) -> None:
    ann, eve = make.user(), make.user()
    mine = make.task(make.project(ann), ann, title="Renew the TLS certificate")
    make.task(make.project(eve), eve, title="Renew the TLS certificate too")
    api = api_as(ann)
    response = api.get("/api/v1/search?q=certificate")
    assert response.status_code == 200, response.json
    assert [hit["id"] for hit in response.json] == [mine]
    assert response.json[0]["title"] == "Renew the TLS certificate"
    assert api.get("/api/v1/search?q=%21%21").status_code == 422
    assert api.get("/api/v1/search").status_code == 422


def test_search_pages_follow_the_link(make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    made = {make.task(project, ann, title=f"Invoice {n}") for n in range(5)}
    api = api_as(ann)
    seen: list[int] = []
    url: str | None = "/api/v1/search?q=invoice&limit=2"
    while url:
        response = api.get(url)
        seen.extend(hit["id"] for hit in response.json)
        link = response.headers.get("Link")
        url = link.split(">")[0].lstrip("<") if link else None
    assert sorted(seen) == sorted(made) and len(seen) == 5


def test_labels_are_set_by_name_with_a_webhook(app, make, api_as) -> None:
    ann = make.user()
    project = make.project(ann)
    subscribe(app, project, ann)
    ops, bug = label(app, project, "ops"), label(app, project, "Bug")
    task = make.task(project, ann)
    api = api_as(ann)
    response = api.put(f"/api/v1/tasks/{task}/labels", json={"labels": ["OPS", "bug"]})
    assert response.status_code == 200, response.json
    assert {lab["name"] for lab in response.json["labels"]} == {"ops", "Bug"}
    with app.app_context():
        assert {lab.id for lab in labels_for_tasks(db.session, [task])[task]} == {ops, bug}
        assert db.session.scalars(select(WebhookDelivery)).first() is not None
    refused = api.put(f"/api/v1/tasks/{task}/labels", json={"labels": ["nope"]})
    assert refused.status_code == 422 and "nope" in refused.json["detail"]


def test_checklist_add_check_edit_remove(app, make, api_as) -> None:
    ann, eve = make.user(), make.user()
    task = make.task(make.project(ann), ann)
    theirs = make.task(make.project(eve), eve)
    api = api_as(ann)
    made = api.post(f"/api/v1/tasks/{task}/checklist", json={"text": "Back up"})
    assert made.status_code == 201 and made.json["done"] is False
    item = made.json["id"]
    changed = api.patch(
        f"/api/v1/tasks/{task}/checklist/{item}", json={"done": True, "text": "Backup"}
    )
    assert changed.json == {**made.json, "done": True, "text": "Backup"}
    assert [i["id"] for i in api.get(f"/api/v1/tasks/{task}/checklist").json] == [item]
    # An item named under another task, or another team's task: not found.
    assert api.patch(f"/api/v1/tasks/{theirs}/checklist/{item}", json={}).status_code == 404
    assert api.get(f"/api/v1/tasks/{theirs}/checklist").status_code == 404
    assert api.post(f"/api/v1/tasks/{task}/checklist", json={"text": ""}).status_code == 422
    assert api.delete(f"/api/v1/tasks/{task}/checklist/{item}").status_code == 204
    with app.app_context():
        assert db.session.get(ChecklistItem, item) is None


def test_another_team_cannot_touch_labels_or_checklists(app, make, api_as) -> None:
    ann, eve = make.user(), make.user()
    theirs = make.task(make.project(eve), eve)
    api = api_as(ann)
    assert api.put(f"/api/v1/tasks/{theirs}/labels", json={"labels": []}).status_code == 404
    assert api.post(f"/api/v1/tasks/{theirs}/checklist", json={"text": "x"}).status_code == 404
