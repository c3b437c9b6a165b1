"""Search never shows a task of another team, of a project the person left, or of a deleted
project; filters naming another team's project or person find nothing of theirs."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import delete

from app.comments.models import Comment
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project, ProjectMember
from tests.conftest import DEFAULT_PASSWORD
from tests.security.world import World


def found(client: FlaskClient, **args: object) -> list[int]:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'class="task-title" href="/task/(\d+)"', response.text)]


def logged_in(app, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code
    return client


def test_each_team_finds_only_its_own_tasks_and_comments(app, world: World):
    alice = logged_in(app, world.a.owner_email)
    # Both teams have a "Secret task of ..." with "a private remark" on it.
    assert found(alice, q="secret task") == [world.a.task_id]
    assert found(alice, q="private remark") == [world.a.task_id]
    assert found(alice, q="bob") == []  # team B's task title names bob@b.example.com
    bob = logged_in(app, world.b.owner_email)
    assert found(bob, q="secret task") == [world.b.task_id]


def test_filters_naming_another_teams_project_or_person_find_nothing(app, world: World):
    alice = logged_in(app, world.a.owner_email)
    assert found(alice, q="secret", project=world.b.project_id) == []
    assert found(alice, q="secret", assignee=world.b.owner_id) == []
    assert found(alice, q="secret", project=world.b.project_id, archived=1) == []
    html = alice.get("/search", query_string={"q": "secret"}).text
    assert "Project of bob@b.example.com" not in html, "another team's project is no choice"


def test_a_person_who_left_a_project_no_longer_finds_its_tasks(app, world: World):
    mallory = logged_in(app, world.member_a_email)
    assert found(mallory, q="private remark") == [world.a.task_id]
    with app.app_context():
        db.session.execute(
            delete(ProjectMember).where(
                ProjectMember.user_id == world.member_a_id,
                ProjectMember.project_id == world.a.project_id,
            )
        )
        db.session.commit()
    assert found(mallory, q="private remark") == []
    assert found(mallory, q="secret", project=world.a.project_id) == []


def test_a_deleted_projects_tasks_and_comments_are_not_found(app, world: World):
    alice = logged_in(app, world.a.owner_email)
    with app.app_context():
        db.session.add(Comment(task_id=world.a.task_id, author_id=world.a.owner_id, body="zinnia"))
        db.session.get(Project, world.a.project_id).deleted_at = utcnow()
        db.session.commit()
    assert found(alice, q="zinnia") == []
    assert found(alice, q="secret", archived=1) == []
