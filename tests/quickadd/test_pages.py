"""Quick add's pages: the box on the list and the board, the preview, saving through the task
service (labels, events), refusals that lose nothing, and who may use it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.core.events import TaskLabelsChanged
from app.extensions import db
from app.labels.models import Label, task_labels
from app.quickadd.views import reading_moment
from app.tasklist.models import Task, TaskPriority
from app.webhooks.models import WebhookDelivery, WebhookSubscription

# Wednesday 2 December 2026, 10:00 in Berlin.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LINE = "Call supplier tomorrow 3pm !high @bob #ops"


@pytest.fixture
def fixed_now():
    """Every test here runs at NOW (logged in at NOW too, so the login session is current)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(app, make, auth, fixed_now):
    ann = make.user(email="ann@example.com", name="Ann Owner", timezone="Europe/Berlin")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(ann, members=(bob,))
    with app.app_context():
        label = Label(project_id=project, name="ops")
        db.session.add(label)
        db.session.commit()
        label_id = label.id
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project, "ops": label_id}


def test_the_box_is_on_the_list_and_on_the_board(client, team):
    for path, origin in (("tasks", "list"), ("board", "board")):
        page = client.get(f"/projects/{team['project']}/{path}").data.decode()
        assert 'id="quick-add-text"' in page
        assert f'name="from" value="{origin}"' in page


def test_the_preview_shows_every_part_and_saves_nothing(app, client, team):
    response = client.get(
        f"/projects/{team['project']}/quick-add", query_string={"text": LINE, "from": "board"}
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert '<dd data-field="title">Call supplier</dd>' in page
    assert "in 1 day" in page and "Thu 03 Dec 2026, 15:00 CET" in page
    assert "(from “tomorrow 3pm”)" in page
    assert "High" in page and "Bob Builder" in page and "#ops" in page
    assert "Save task" in page and 'name="from" value="board"' in page
    with app.app_context():
        assert db.session.scalar(select(Task)) is None


def test_the_live_preview_is_a_fragment(client, team):
    page = client.get(
        f"/projects/{team['project']}/quick-add",
        query_string={"text": LINE, "fragment": "1"},
    ).data.decode()
    assert "<html" not in page and "Call supplier" in page and "Save task" in page


def test_saving_creates_the_task_through_the_task_service(app, client, team):
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=team["project"],
                url="https://hooks.example.com/x",
                secret="s",
                events="task.created task.assigned",
            )
        )
        db.session.commit()
    seen = []
    from app.core import events

    def listen(session, event):
        seen.append(event)

    events.subscribe(TaskLabelsChanged, listen)
    try:
        response = client.post(
            f"/projects/{team['project']}/quick-add/save",
            data={"text": LINE, "from": "board", "read_at": NOW.isoformat()},
        )
    finally:
        events._subscribers[TaskLabelsChanged].remove(listen)  # this test's listener only
    assert response.status_code == 302
    assert response.location == f"/projects/{team['project']}/board"
    with app.app_context():
        task = db.session.scalar(select(Task))
        assert task.title == "Call supplier"
        assert task.priority == TaskPriority.HIGH
        assert task.assignee_id == team["bob"] and task.creator_id == team["ann"]
        assert task.due_at == datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        labels = db.session.execute(select(task_labels.c.label_id)).scalars().all()
        assert labels == [team["ops"]]
        deliveries = set(db.session.scalars(select(WebhookDelivery.event)))
    assert deliveries == {"task.created", "task.assigned"}
    assert [event.added for event in seen] == [("ops",)]
    page = client.get(response.location).data.decode()
    assert "Task “Call supplier” created, due Thu 03 Dec 2026, 15:00 CET." in page


def test_a_line_with_problems_is_not_saved_and_comes_back_as_typed(app, client, team):
    response = client.post(
        f"/projects/{team['project']}/quick-add/save",
        data={"text": "Call supplier @zed #nope", "from": "list"},
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert "Nobody in this project goes by @zed" in page
    assert "no label “nope”" in page
    assert 'value="Call supplier @zed #nope"' in page, "the line is kept to fix"
    assert "Save task" not in page
    with app.app_context():
        assert db.session.scalar(select(Task)) is None


def test_another_teams_project_is_not_found(client, make, team):
    stranger = make.user(email="eve@example.com")
    theirs = make.project(stranger)
    assert (
        client.get(f"/projects/{theirs}/quick-add", query_string={"text": "x"}).status_code == 404
    )
    assert client.post(f"/projects/{theirs}/quick-add/save", data={"text": "x"}).status_code == 404


def test_saving_without_the_csrf_token_is_refused(app, client, team):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            f"/projects/{team['project']}/quick-add/save", data={"text": "Thing"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Task)) is None


def test_the_date_language_follows_the_browser(app, client, team):
    client.post(
        f"/projects/{team['project']}/quick-add/save",
        data={"text": "Rechnung schicken morgen um 15:00"},
        headers={"Accept-Language": "de-DE,de;q=0.9"},
    )
    with app.app_context():
        task = db.session.scalar(select(Task))
    assert task.title == "Rechnung schicken"
    assert task.due_at == datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_saved_line_is_read_at_its_previews_moment_if_believable():
    assert reading_moment("2026-12-02T08:00:00+00:00", NOW) == datetime(2026, 12, 2, 8, tzinfo=UTC)
    assert reading_moment("2026-12-01T08:00:00+00:00", NOW) == NOW, "too old"
    assert reading_moment("2026-12-02T10:00:00+00:00", NOW) == NOW, "in the future"
    assert reading_moment("2026-12-02T08:00:00", NOW) == NOW, "no zone"
    assert reading_moment("soon", NOW) == NOW
