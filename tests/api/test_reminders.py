"""My reminders on a task through the API: the task page's rules, and only mine."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.core.database import utcnow
from app.reminders.models import TaskReminder
from app.tasklist.models import TaskStatus


def test_a_reminder_before_the_due_date_and_one_at_a_moment(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    due = utcnow().replace(microsecond=0) + timedelta(days=3)
    task = make.task(project, ann, due_at=due)
    api = api_as(ann)
    url = f"/api/v1/tasks/{task}/reminders"
    before = api.post(url, json={"before_due": "1d"})
    assert before.status_code == 201, before.json
    assert before.json["remind_at"] == (due - timedelta(days=1)).isoformat()
    moment = (due - timedelta(hours=5)).isoformat()
    at = api.post(url, json={"at": moment})
    assert at.status_code == 201 and at.json["at"] == moment
    assert [r["id"] for r in api.get(url).json] == [before.json["id"], at.json["id"]]
    assert api_as(make.user()).get(url).status_code == 404


def test_the_pages_rules_answer_422_with_their_message(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    undated = make.task(project, ann)
    done = make.task(project, ann, status=TaskStatus.COMPLETED)
    api = api_as(ann)
    no_due = api.post(f"/api/v1/tasks/{undated}/reminders", json={"before_due": "1d"})
    assert no_due.status_code == 422 and "no due date" in no_due.json["detail"]
    past = api.post(
        f"/api/v1/tasks/{undated}/reminders",
        json={"at": (utcnow() - timedelta(hours=1)).isoformat()},
    )
    assert past.status_code == 422 and "already passed" in past.json["detail"]
    finished = api.post(
        f"/api/v1/tasks/{done}/reminders", json={"at": (utcnow() + timedelta(hours=1)).isoformat()}
    )
    assert finished.status_code == 422 and "done" in finished.json["detail"]
    both = api.post(f"/api/v1/tasks/{undated}/reminders", json={})
    assert both.status_code == 422 and both.json["errors"][0]["field"] == "before_due"


def test_only_my_own_reminder_can_be_removed(app: Flask, api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, members=(mia,))
    task = make.task(project, ann)
    when = (utcnow() + timedelta(hours=2)).isoformat()
    made = api_as(ann).post(f"/api/v1/tasks/{task}/reminders", json={"at": when})
    url = f"/api/v1/reminders/{made.json['id']}"
    assert api_as(mia).delete(url).status_code == 404
    assert api_as(mia).get(f"/api/v1/tasks/{task}/reminders").json == []
    assert api_as(ann).delete(url).status_code == 204
    assert make.get(TaskReminder, made.json["id"]) is None
