"""The Trash across the team line: another team's deleted task or project cannot be seen,
restored or deleted by id, and inside a team only owners delete or restore a project."""

from __future__ import annotations

from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project
from app.tasklist import trash
from app.tasklist.models import Task
from tests.security.snapshots import changed_tables, database_fingerprint
from tests.security.world import World


def trash_task_and_project_of_b(app, world: World, make) -> tuple[int, int]:
    """Team B's task in the Trash, and a second project of B's deleted: their ids."""
    deleted_project = make.project(world.b.owner_id, name="B's deleted project")
    with app.app_context():
        trash.delete_task(
            db.session,
            db.session.get(Task, world.b.task_id),
            actor_id=world.b.owner_id,
            now=utcnow(),
        )
        trash.delete_project(
            db.session,
            db.session.get(Project, deleted_project),
            actor_id=world.b.owner_id,
            now=utcnow(),
        )
        db.session.commit()
    return world.b.task_id, deleted_project


def test_another_teams_trash_is_not_found_and_nothing_changes(app, client, auth, make, world):
    task_id, project_id = trash_task_and_project_of_b(app, world, make)
    auth.login(world.member_a_email)
    before = database_fingerprint(app)
    for method, url in [
        ("GET", f"/projects/{world.b.project_id}/trash"),
        ("GET", f"/task/{task_id}"),
        ("POST", f"/task/{task_id}/restore-from-trash"),
        ("POST", f"/task/{task_id}/delete"),
        ("POST", f"/task/{task_id}/reopen"),
        ("POST", f"/task/{task_id}/archive"),
        ("POST", f"/projects/{project_id}/restore"),
        ("GET", f"/projects/{world.b.project_id}/delete"),
        ("POST", f"/projects/{world.b.project_id}/delete"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 404, (method, url, response.status_code)
        assert b"Secret task of bob" not in response.data
        assert b"This task is in the Trash" not in response.data, "outsiders learn nothing"
    assert b"B&#39;s deleted project" not in client.get("/projects/").data
    assert changed_tables(before, database_fingerprint(app)) == []


def test_a_member_neither_deletes_nor_restores_their_own_teams_project(
    app, client, auth, make, world
):
    auth.login(world.member_a_email)
    assert client.post(f"/projects/{world.a.project_id}/delete").status_code == 403
    assert make.get(Project, world.a.project_id).deleted_at is None
    with app.app_context():
        trash.delete_project(
            db.session,
            db.session.get(Project, world.a.project_id),
            actor_id=world.a.owner_id,
            now=utcnow(),
        )
        db.session.commit()
    assert client.post(f"/projects/{world.a.project_id}/restore").status_code == 403
    assert make.get(Project, world.a.project_id).deleted_at is not None
    assert b"Deleted projects" not in client.get("/projects/").data, "owners only"
