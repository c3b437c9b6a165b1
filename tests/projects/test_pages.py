from sqlalchemy import select

from app.extensions import db
from app.projects.models import MemberRole, Project, ProjectMember
from app.tasklist.models import Task


def test_create_project_makes_me_its_owner(client, app, make, auth):
    me = make.user(email="ann@example.com")
    auth.login("ann@example.com")
    response = client.post("/projects/new", data={"name": "  Launch  ", "description": "Go live"})
    assert response.status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project.name == "Launch"
        member = db.session.scalar(select(ProjectMember))
        assert (member.user_id, member.role) == (me, MemberRole.OWNER)
    listing = client.get("/projects/")
    assert b"Launch" in listing.data


def test_project_list_shows_only_my_projects(client, make, auth):
    me = make.user(email="ann@example.com")
    other = make.user()
    make.project(me, name="Mine")
    make.project(other, name="Theirs")
    auth.login("ann@example.com")
    page = client.get("/projects/").data
    assert b"Mine" in page and b"Theirs" not in page


def test_project_list_queries_do_not_grow_with_projects(client, make, auth, count_queries):
    me = make.user(email="ann@example.com")
    auth.login("ann@example.com")
    make.project(me, name="One")
    with count_queries() as few:
        client.get("/projects/")
    for n in range(6):
        project = make.project(me, name=f"P{n}", members=(make.user(),))
        make.task(project, me)
    with count_queries() as many:
        assert client.get("/projects/").status_code == 200
    assert len(many) == len(few)


def test_only_owners_edit_a_project(client, app, make, auth):
    owner = make.user()
    member = make.user(email="mem@example.com")
    project = make.project(owner, members=(member,))
    auth.login("mem@example.com")
    assert client.get(f"/projects/{project}/edit").status_code == 403
    response = client.post(f"/projects/{project}/edit", data={"name": "Hijacked"})
    assert response.status_code == 403
    assert make.get(Project, project).name == "Launch"


def test_owner_edits_project_and_empty_name_is_refused(client, make, auth):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    auth.login("own@example.com")
    bad = client.post(f"/projects/{project}/edit", data={"name": "   "})
    assert b"Give the project a name" in bad.data
    client.post(f"/projects/{project}/edit", data={"name": "Renamed", "description": "New"})
    assert make.get(Project, project).name == "Renamed"


def test_owner_adds_someone_they_already_work_with_and_removes_them(client, app, make, auth):
    owner = make.user(email="own@example.com")
    bob = make.user(email="bob@example.com", name="Bob")
    make.project(bob, name="Shared", members=(owner,))
    project = make.project(owner)
    task = make.task(project, owner, assignee_id=None)
    auth.login("own@example.com")
    response = client.post(f"/projects/{project}/members", data={"email": "BOB@example.com"})
    assert response.status_code == 302
    assert b"Bob" in client.get(f"/projects/{project}/members").data
    with app.app_context():
        db.session.get(Task, task).assignee_id = bob
        db.session.commit()
    client.post(f"/projects/{project}/members/{bob}/remove")
    with app.app_context():
        assert (
            db.session.scalar(
                select(ProjectMember).where(
                    ProjectMember.user_id == bob, ProjectMember.project_id == project
                )
            )
            is None
        )
    assert make.get(Task, task).assignee_id is None


def test_adding_an_unknown_address_sends_an_invitation(client, make, auth):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    auth.login("own@example.com")
    response = client.post(
        f"/projects/{project}/members", data={"email": "new@example.com"}, follow_redirects=True
    )
    assert b"emailed an invitation to new@example.com" in response.data
    assert b"Ask them to register" not in response.data


def test_the_owner_cannot_be_removed(client, make, auth):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    auth.login("own@example.com")
    response = client.post(f"/projects/{project}/members/{owner}/remove", follow_redirects=True)
    assert b"cannot be removed" in response.data


def test_members_cannot_add_members(client, make, auth):
    owner = make.user()
    member = make.user(email="mem@example.com")
    make.user(email="friend@example.com")
    project = make.project(owner, members=(member,))
    auth.login("mem@example.com")
    assert (
        client.post(
            f"/projects/{project}/members", data={"email": "friend@example.com"}
        ).status_code
        == 403
    )


def test_another_teams_project_is_not_found_at_every_url(client, make, auth):
    make.user(email="ann@example.com")
    stranger = make.user()
    project = make.project(stranger, name="Secret plans")
    task = make.task(project, stranger, title="Secret task")
    auth.login("ann@example.com")
    for method, url in [
        ("get", f"/projects/{project}/tasks"),
        ("get", f"/projects/{project}/edit"),
        ("get", f"/projects/{project}/members"),
        ("post", f"/projects/{project}/members"),
        ("get", f"/projects/{project}/tasks/new"),
        ("post", f"/projects/{project}/tasks/new"),
        ("get", f"/task/{task}"),
        ("get", f"/task/{task}/edit"),
        ("post", f"/task/{task}/edit"),
        ("post", f"/task/{task}/complete"),
        ("get", f"/task/{task}/status"),
    ]:
        response = getattr(client, method)(url, data={"title": "x", "name": "x", "email": "a@b.cd"})
        assert response.status_code == 404, url
        assert b"Secret" not in response.data
