"""The Trash from the browser's side: delete with Undo, the Trash page, a deleted task's
pages refused with a reason, reopen, archive by hand, and deleting a project."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.actions.links import issue
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus
from app.webhooks.models import WebhookDelivery, WebhookSubscription


@pytest.fixture
def team(make, auth):
    """Ann owns Launch, Bob is a member; Bob is logged in."""
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Ship it", assignee_id=bob)
    auth.login("bob@example.com")
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def test_a_member_deletes_a_task_and_undoes_it_from_the_flash(client, make, team):
    page = client.get(f"/task/{team['task']}").data.decode()
    assert f'action="/task/{team["task"]}/delete"' in page and "data-confirm" in page

    deleted = client.post(f"/task/{team['task']}/delete", follow_redirects=True)
    html = deleted.data.decode()
    assert deleted.request.path == f"/projects/{team['project']}/tasks"
    assert "Task deleted." in html
    assert f'action="/task/{team["task"]}/restore-from-trash"' in html and ">Undo</button>" in html
    assert "Ship it</a>" not in html, "gone from the list"
    task = make.get(Task, team["task"])
    assert task.deleted_by_id == team["bob"] and task.deleted_at is not None

    undone = client.post(f"/task/{team['task']}/restore-from-trash", follow_redirects=True)
    assert undone.request.path == f"/task/{team['task']}"
    assert "is restored" in undone.data.decode()
    assert make.get(Task, team["task"]).deleted_at is None


def test_a_deleted_tasks_pages_say_it_is_in_the_trash(app, client, make, team):
    client.post(f"/task/{team['task']}/delete")
    for response in (
        client.get(f"/task/{team['task']}"),
        client.get(f"/task/{team['task']}/edit"),
        client.post(f"/task/{team['task']}/comments", data={"body": "still there?"}),
        client.post(f"/task/{team['task']}/reminders", data={"when": "1d"}),
        client.post(f"/task/{team['task']}/complete"),
    ):
        assert response.status_code == 404
        assert "This task is in the Trash" in response.data.decode()
    with app.app_context():
        token = issue(app.config["SECRET_KEY"], team["bob"], team["task"], "done")
    link = client.post(f"/actions/{token}")
    assert link.status_code == 400 and "This task is in the Trash" in link.data.decode()
    assert make.get(Task, team["task"]).status == TaskStatus.PENDING


def test_the_trash_shows_who_deleted_what_when_and_the_days_left(client, make, team):
    client.post(f"/task/{team['task']}/delete")
    page = client.get(f"/projects/{team['project']}/trash").data.decode()
    assert "Ship it" in page and "Bob" in page and "30 days" in page
    assert f'action="/task/{team["task"]}/restore-from-trash"' in page
    assert 'aria-current="page">Trash</a>' in page, "the project's view tabs"
    client.post(f"/task/{team['task']}/restore-from-trash")
    assert "The Trash is empty" in client.get(f"/projects/{team['project']}/trash").data.decode()


def test_the_trash_page_makes_the_same_statements_for_3_or_30_tasks(
    app, client, make, team, count_queries
):
    def trash_some(n: int) -> None:
        with app.app_context():
            now = utcnow()
            for i in range(n):
                db.session.add(
                    Task(
                        project_id=team["project"],
                        creator_id=team["ann"],
                        title=f"Old {i}",
                        deleted_at=now - timedelta(minutes=i),
                        deleted_by_id=team["ann"] if i % 2 else team["bob"],
                    )
                )
            db.session.commit()

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(f"/projects/{team['project']}/trash").status_code == 200
        return len(seen)

    trash_some(3)
    few = statements()
    trash_some(27)
    assert statements() == few
    assert "Page 1 of 2" in client.get(f"/projects/{team['project']}/trash").data.decode()


def test_reopen_puts_a_completed_task_back_to_pending(client, make, team):
    done = make.task(team["project"], team["ann"], title="Done", status=TaskStatus.COMPLETED)
    assert ">Reopen</button>" in client.get(f"/task/{done}").data.decode()
    assert ">Reopen</button>" not in client.get(f"/task/{team['task']}").data.decode()
    reopened = client.post(f"/task/{done}/reopen", follow_redirects=True)
    assert "is reopened" in reopened.data.decode()
    task = make.get(Task, done)
    assert (task.status, task.completed_at) == (TaskStatus.PENDING, None)


def test_archive_by_hand_and_restore_from_the_archive(client, make, team):
    done = make.task(team["project"], team["ann"], title="Done", status=TaskStatus.COMPLETED)
    assert ">Archive</button>" not in client.get(f"/task/{team['task']}").data.decode()
    archived = client.post(f"/task/{done}/archive", follow_redirects=True)
    assert archived.request.path == f"/projects/{team['project']}/archive"
    assert "is archived" in archived.data.decode() and "Done" in archived.data.decode()
    assert make.get(Task, done).archived_at is not None
    refused = client.post(f"/task/{team['task']}/archive", follow_redirects=True)
    assert "Only completed tasks can be archived" in refused.data.decode()
    client.post(f"/task/{done}/restore")
    assert make.get(Task, done).archived_at is None


def test_a_webhook_hears_task_deleted_and_task_restored(app, client, make, team):
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=team["project"],
                created_by_id=team["ann"],
                url="https://hooks.example.com/in",
                secret="s" * 32,
                events="task.deleted task.restored",
            )
        )
        db.session.commit()
    client.post(f"/task/{team['task']}/delete")
    client.post(f"/task/{team['task']}/restore-from-trash")
    with app.app_context():
        events = db.session.scalars(select(WebhookDelivery.event).order_by(WebhookDelivery.id))
        assert list(events) == ["task.deleted", "task.restored"]


def test_only_the_owner_deletes_a_project_and_restores_it(app, client, auth, make, team):
    assert client.get(f"/projects/{team['project']}/delete").status_code == 403
    assert client.post(f"/projects/{team['project']}/delete").status_code == 403
    assert make.get(Project, team["project"]).deleted_at is None

    auth.logout()
    auth.login("ann@example.com")
    ask = client.get(f"/projects/{team['project']}/delete").data.decode()
    assert "Delete project</button>" in ask
    gone = client.post(f"/projects/{team['project']}/delete", follow_redirects=True)
    html = gone.data.decode()
    assert gone.request.path == "/projects/"
    assert "Deleted projects" in html and "30 days left" in html
    assert client.get(f"/projects/{team['project']}/tasks").status_code == 404
    assert client.get(f"/task/{team['task']}").status_code == 404

    auth.logout()
    auth.login("bob@example.com")
    assert "Launch" not in client.get("/projects/").data.decode(), "gone for members too"
    assert client.post(f"/projects/{team['project']}/restore").status_code == 403

    auth.logout()
    auth.login("ann@example.com")
    back = client.post(f"/projects/{team['project']}/restore", follow_redirects=True)
    assert back.request.path == f"/projects/{team['project']}/tasks"
    assert "Ship it" in back.data.decode()


def test_admin_jobs_lists_the_purge_with_its_description(client, auth, make):
    make.user(email="root@example.com", is_admin=True)
    auth.login("root@example.com")
    page = client.get("/admin/jobs").data.decode()
    assert "purge-trash" in page
    assert "Deletes for good tasks and projects in the Trash for more than 30 days." in page
