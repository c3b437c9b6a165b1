"""The task service is the one place a task's changes are announced: it records the domain
events, with who did it, and the webhooks and notifications listen."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.core import events
from app.core.database import utcnow
from app.core.events import TaskAssigned, TaskChanged, TaskCreated, TaskStatusChanged
from app.extensions import db
from app.tasklist import service as task_rules
from app.tasklist.models import Task, TaskStatus
from tests.task_fields import fields


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every task event recorded during the test, the app's own subscribers left out."""
    monkeypatch.setattr(events, "_subscribers", {})
    recorded: list[object] = []
    for kind in (TaskCreated, TaskChanged, TaskAssigned, TaskStatusChanged):
        events.subscribe(kind, lambda session, event: recorded.append(event))
    return recorded


def test_creating_an_assigned_task_records_created_then_assigned(app, make, heard):
    ann, bob = make.user(), make.user()
    project = make.project(ann, members=(bob,))
    with app.app_context():
        creator = db.session.get(User, ann)
        task = task_rules.create_task(
            db.session, project_id=project, creator=creator, fields=fields(assignee_id=bob)
        )
        created, assigned = heard
        assert isinstance(created, TaskCreated) and created.task.assignee_id == bob
        assert (created.task_id, created.project_id, created.actor_id) == (task.id, project, ann)
        assert assigned == TaskAssigned(task.id, project, ann, bob)


def test_an_edit_records_what_changed_with_before_and_after(app, make, heard):
    ann, bob = make.user(), make.user()
    project = make.project(ann, members=(bob,))
    task_id = make.task(project, ann, title="Ship it")
    with app.app_context():
        task = db.session.get(Task, task_id)
        task_rules.update_task(
            db.session,
            task,
            fields(assignee_id=bob, status=TaskStatus.IN_PROGRESS),
            actor_id=ann,
        )
        changed, assigned, status = heard
        assert isinstance(changed, TaskChanged)
        assert changed.changed == {"assignee_id", "status"}
        assert (changed.before.assignee_id, changed.after.assignee_id) == (None, bob)
        assert (changed.before.status, changed.after.status) == ("pending", "in_progress")
        assert assigned == TaskAssigned(task_id, project, ann, bob)
        assert status == TaskStatusChanged(task_id, project, ann, "pending", "in_progress")
        heard.clear()
        task_rules.update_task(
            db.session,
            task,
            fields(assignee_id=bob, status=TaskStatus.IN_PROGRESS),
            actor_id=ann,
        )
        assert heard == [], "saving without a change announces nothing"


def test_a_status_change_is_announced_once_and_not_again_when_already_so(app, make, heard):
    ann = make.user()
    project = make.project(ann)
    task_id = make.task(project, ann)
    with app.app_context():
        change = task_rules.change_status(db.session, task_id, "completed", utcnow(), actor_id=ann)
        assert change.changed
        assert [type(event) for event in heard] == [TaskChanged, TaskStatusChanged]
        assert heard[1] == TaskStatusChanged(task_id, project, ann, "pending", "completed")
        heard.clear()
        again = task_rules.change_status(db.session, task_id, "completed", utcnow(), actor_id=ann)
        assert not again.changed and heard == []
