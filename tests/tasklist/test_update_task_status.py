"""update_task_status through a real Celery worker consuming from real Redis."""

import time

import pytest

from app.tasklist.models import Task, TaskStatus
from app.tasks.task_management import update_task_status

pytestmark = pytest.mark.worker


def wait_for_status(client, task_id, expected, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/task/{task_id}/status").json
        if body["status"] == expected:
            return body
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} never reached {expected}; last seen {body}")


@pytest.fixture
def owned_task(make):
    owner = make.user(email="ann@example.com")
    project = make.project(owner)
    return make.task(project, owner, title="Ship it")


def test_worker_moves_a_task_to_the_new_status(app, celery_worker, make, owned_task):
    result = update_task_status.delay(owned_task, "in_progress").get(timeout=15)
    assert result == {"task_id": owned_task, "status": "in_progress", "changed": True}
    assert make.get(Task, owned_task).status == TaskStatus.IN_PROGRESS


def test_completing_through_the_worker_records_when(app, celery_worker, make, owned_task):
    update_task_status.delay(task_id=owned_task, new_status="completed").get(timeout=15)
    task = make.get(Task, owned_task)
    assert task.status == TaskStatus.COMPLETED
    assert task.completed_at is not None


def test_an_unknown_status_fails_the_job_with_its_reason(app, celery_worker, make, owned_task):
    with pytest.raises(Exception, match="'done-ish' is not a task status"):
        update_task_status.delay(owned_task, "done-ish").get(timeout=15)
    assert make.get(Task, owned_task).status == TaskStatus.PENDING


def test_a_task_deleted_before_the_worker_ran_is_reported_not_crashed(app, celery_worker):
    result = update_task_status.delay(987654, "completed").get(timeout=15)
    assert result["missing"] is True


def test_complete_button_queues_the_job_and_the_page_sees_the_workers_change(
    client, auth, celery_worker, make, owned_task
):
    auth.login("ann@example.com")
    response = client.post(f"/task/{owned_task}/complete")
    assert response.status_code == 302
    assert response.location == f"/task/{owned_task}?queued=completed"
    assert wait_for_status(client, owned_task, "completed")["label"] == "Completed"
    page = client.get(f"/task/{owned_task}").data
    assert b'data-status="completed"' in page
    assert b"Mark complete" not in page


def test_complete_route_answers_json_clients_as_the_guide_does(
    client, auth, celery_worker, owned_task
):
    auth.login("ann@example.com")
    response = client.post(f"/task/{owned_task}/complete", headers={"Accept": "application/json"})
    assert response.status_code == 202
    assert response.json["message"] == "Task completion queued"
    wait_for_status(client, owned_task, "completed")


def test_a_task_called_outside_any_app_context_gets_one(app, make, owned_task):
    from flask import has_app_context

    assert not has_app_context()
    assert update_task_status(owned_task, "blocked")["status"] == "blocked"
    assert make.get(Task, owned_task).status == TaskStatus.BLOCKED
