"""Labels through the API: the Labels page's rules (names unique in any case, #rrggbb colors)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import insert

from app.extensions import db
from app.labels.models import Label, task_labels


def test_members_create_and_list_labels_with_readable_text(api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, members=(mia,))
    api = api_as(mia)
    made = api.post(f"/api/v1/projects/{project}/labels", json={"name": "Ops", "color": "#ffeb3b"})
    assert (
        made.status_code == 201 and made.headers["Location"] == f"/api/v1/labels/{made.json['id']}"
    )
    assert made.json["text_color"] == "#111111"
    listed = api.get(f"/api/v1/projects/{project}/labels").json
    assert [(x["name"], x["task_count"]) for x in listed] == [("Ops", 0)]


def test_a_name_taken_in_another_case_is_a_422_on_the_name(api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    api.post(f"/api/v1/projects/{project}/labels", json={"name": "Ops", "color": "#3b6ea8"})
    again = api.post(f"/api/v1/projects/{project}/labels", json={"name": "ops", "color": "#3b6ea8"})
    assert again.status_code == 422
    assert again.json["errors"][0]["field"] == "name" and "already has" in again.json["detail"]


def test_a_color_that_is_not_hex_is_a_422_on_the_color(api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    bad = api_as(ann).post(f"/api/v1/projects/{project}/labels", json={"name": "x", "color": "red"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "color"


def test_renaming_and_recoloring_changes_the_label_on_every_task(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    task = make.task(project, ann)
    api = api_as(ann)
    label = api.post(f"/api/v1/projects/{project}/labels", json={"name": "a", "color": "#000000"})
    with app.app_context():
        db.session.execute(insert(task_labels).values(task_id=task, label_id=label.json["id"]))
        db.session.commit()
    changed = api.patch(f"/api/v1/labels/{label.json['id']}", json={"name": "Urgent"})
    assert changed.status_code == 200 and changed.json["name"] == "Urgent"
    assert changed.json["color"] == "#000000" and changed.json["text_color"] == "#ffffff"
    listed = api.get(f"/api/v1/projects/{project}/labels").json
    assert [(x["name"], x["task_count"]) for x in listed] == [("Urgent", 1)]


def test_only_owners_delete_labels(api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, members=(mia,))
    made = api_as(ann).post(
        f"/api/v1/projects/{project}/labels", json={"name": "a", "color": "#000000"}
    )
    url = f"/api/v1/labels/{made.json['id']}"
    assert api_as(mia).delete(url).status_code == 403
    assert make.get(Label, made.json["id"]) is not None
    assert api_as(ann).delete(url).status_code == 204
    assert make.get(Label, made.json["id"]) is None


def test_the_list_costs_the_same_statements_for_many_labels(api_as, make, count_queries) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    url = f"/api/v1/projects/{project}/labels"
    api.post(url, json={"name": "first", "color": "#000000"})
    with count_queries() as few:
        api.get(url)
    for n in range(6):
        api.post(url, json={"name": f"l{n}", "color": "#000000"})
    with count_queries() as many:
        assert len(api.get(url).json) == 7
    assert len(many) == len(few)
