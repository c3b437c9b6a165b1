"""Projects and members through the API: the same effects and permissions as the pages."""

from __future__ import annotations

from flask import Flask

from app.projects.models import Project
from app.tasklist.models import Task


def test_creating_a_project_makes_me_its_owner_and_says_where_it_is(
    app: Flask, api_as, make
) -> None:
    ann = make.user()
    api = api_as(ann)
    response = api.post("/api/v1/projects", json={"name": "  Launch  ", "description": "Q3"})
    assert response.status_code == 201
    assert response.json["name"] == "Launch" and response.json["role"] == "owner"
    assert response.headers["Location"] == f"/api/v1/projects/{response.json['id']}"
    assert api.get(response.headers["Location"]).json["owner_id"] == ann


def test_a_project_without_a_name_is_a_422_naming_the_field(api_as, make) -> None:
    response = api_as(make.user()).post("/api/v1/projects", json={"description": "x"})
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["errors"] == [
        {"field": "name", "message": "Missing data for required field."}
    ]


def test_the_list_pages_by_cursor_with_a_link_header(api_as, make) -> None:
    ann = make.user()
    for name in ("delta", "Alpha", "charlie", "Bravo", "echo"):
        make.project(ann, name=name)
    api = api_as(ann)
    first = api.get("/api/v1/projects?limit=2")
    assert [p["name"] for p in first.json] == ["Alpha", "Bravo"]
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "limit=2" in link
    url = link[link.index("<") + 1 : link.index(">")]
    second = api.get(url)
    assert [p["name"] for p in second.json] == ["charlie", "delta"]
    third = api.get(second.headers["Link"].split(">")[0][1:])
    assert [p["name"] for p in third.json] == ["echo"] and "Link" not in third.headers


def test_the_list_leaves_out_projects_in_the_trash_and_others(app: Flask, api_as, make) -> None:
    ann, bob = make.user(), make.user()
    make.project(ann, name="Mine")
    make.project(bob, name="Bob's")
    gone = make.project(ann, name="Gone")
    api = api_as(ann)
    assert api.delete(f"/api/v1/projects/{gone}").status_code == 204
    assert [p["name"] for p in api.get("/api/v1/projects").json] == ["Mine"]


def test_the_list_costs_the_same_statements_for_many_projects(api_as, make, count_queries) -> None:
    ann = make.user()
    api = api_as(ann)
    make.project(ann, name="One")
    api.get("/api/v1/projects")  # the token's first use is noted once; not the list's cost
    with count_queries() as few:
        api.get("/api/v1/projects")
    for n in range(8):
        project = make.project(ann, name=f"More {n}", members=(make.user(),))
        make.task(project, ann)
    with count_queries() as many:
        response = api.get("/api/v1/projects")
    assert len(response.json) == 9 and response.json[0]["open_tasks"] == 1
    assert len(many) == len(few)


def test_owners_rename_with_if_match_and_a_stale_tag_is_412(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann, name="Old")
    api = api_as(ann)
    read = api.get(f"/api/v1/projects/{project}")
    tag = read.headers["ETag"]
    changed = api.patch(
        f"/api/v1/projects/{project}", json={"name": "New"}, headers={"If-Match": tag}
    )
    assert changed.status_code == 200 and changed.json["name"] == "New"
    assert changed.headers["ETag"] != tag
    stale = api.patch(
        f"/api/v1/projects/{project}", json={"name": "Lost"}, headers={"If-Match": tag}
    )
    assert stale.status_code == 412 and stale.json["status"] == 412
    assert make.get(Project, project).name == "New"


def test_members_may_read_but_not_change_or_delete_a_project(app: Flask, api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, name="Shared", members=(mia,))
    api = api_as(mia)
    assert api.get(f"/api/v1/projects/{project}").json["role"] == "member"
    assert api.patch(f"/api/v1/projects/{project}", json={"name": "Mine"}).status_code == 403
    assert api.delete(f"/api/v1/projects/{project}").status_code == 403
    assert make.get(Project, project).deleted_at is None


def test_deleting_puts_the_project_and_its_tasks_in_the_trash(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    task = make.task(project, ann)
    assert api_as(ann).delete(f"/api/v1/projects/{project}").status_code == 204
    assert make.get(Project, project).deleted_at is not None
    assert make.get(Task, task).deleted_at == make.get(Project, project).deleted_at
    assert api_as(ann).get(f"/api/v1/projects/{project}").status_code == 404


def test_members_are_listed_with_roles_and_emails_for_fellow_members(api_as, make) -> None:
    ann = make.user(name="Ann", email="ann@example.com")
    mia = make.user(name="Mia", email="mia@example.com")
    project = make.project(ann, members=(mia,))
    members = api_as(mia).get(f"/api/v1/projects/{project}/members").json
    assert members == [
        {"id": ann, "name": "Ann", "role": "owner", "email": "ann@example.com"},
        {"id": mia, "name": "Mia", "role": "member", "email": "mia@example.com"},
    ]
    assert api_as(make.user()).get(f"/api/v1/projects/{project}/members").status_code == 404


def test_a_read_only_token_cannot_create_change_or_delete(api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann, ("read",))
    assert api.post("/api/v1/projects", json={"name": "x"}).status_code == 403
    assert api.patch(f"/api/v1/projects/{project}", json={"name": "x"}).status_code == 403
    assert api.delete(f"/api/v1/projects/{project}").status_code == 403
    assert api.get(f"/api/v1/projects/{project}").status_code == 200
