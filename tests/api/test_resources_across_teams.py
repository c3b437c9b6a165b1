"""Every project, label, notification, export, webhook, reminder and recurring series
endpoint: another team's ids are not found whatever the method, and a read-only token
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.core.database import utcnow
from app.exports.models import Export
from app.labels.models import Label
from app.notifications.models import Notification
from app.projects.models import Project
from app.reminders.models import TaskReminder
from app.webhooks.models import WebhookSubscription
from tests.security.world import Team, World, build_world

# (method, URL of team B's object, JSON body a team B owner could send successfully, or a
# function of team B giving it)
CALLS: list[tuple[str, Callable[[Team], str], Any]] = [
    ("GET", lambda b: f"/api/v1/projects/{b.project_id}", None),
    ("PATCH", lambda b: f"/api/v1/projects/{b.project_id}", {"name": "Mine now"}),
    ("DELETE", lambda b: f"/api/v1/projects/{b.project_id}", None),
    ("GET", lambda b: f"/api/v1/projects/{b.project_id}/members", None),
    ("GET", lambda b: f"/api/v1/projects/{b.project_id}/labels", None),
    (
        "POST",
        lambda b: f"/api/v1/projects/{b.project_id}/labels",
        {"name": "x", "color": "#000000"},
    ),
    ("PATCH", lambda b: f"/api/v1/labels/{b.label_id}", {"name": "renamed"}),
    ("DELETE", lambda b: f"/api/v1/labels/{b.label_id}", None),
    ("POST", lambda b: f"/api/v1/notifications/{b.notification_id}/read", None),
    ("GET", lambda b: f"/api/v1/exports/{b.export_id}", None),
    ("GET", lambda b: f"/api/v1/exports/{b.export_id}/download", None),
    ("POST", lambda b: "/api/v1/exports", lambda b: {"project_id": b.project_id, "format": "csv"}),
    ("GET", lambda b: f"/api/v1/projects/{b.project_id}/webhooks", None),
    (
        "POST",
        lambda b: f"/api/v1/projects/{b.project_id}/webhooks",
        {"url": "https://hooks.example.com/x", "events": ["task.created"]},
    ),
    ("DELETE", lambda b: f"/api/v1/webhooks/{b.subscription_id}", None),
    ("GET", lambda b: f"/api/v1/tasks/{b.task_id}/reminders", None),
    ("POST", lambda b: f"/api/v1/tasks/{b.task_id}/reminders", {"at": "2099-01-01T09:00:00Z"}),
    ("DELETE", lambda b: f"/api/v1/reminders/{b.reminder_id}", None),
    ("GET", lambda b: f"/api/v1/projects/{b.project_id}/recurring", None),
    (
        "POST",
        lambda b: f"/api/v1/projects/{b.project_id}/recurring",
        {
            "title": "x",
            "rule": "FREQ=DAILY",
            "starts_at": (utcnow() + timedelta(days=30)).isoformat(),
        },
    ),
]


@pytest.fixture
def world(app: Flask, make) -> World:
    return build_world(app, make)


def sent(body: Any, b: Team) -> dict[str, Any] | None:
    return body(b) if callable(body) else body


def untouched(make, b: Team) -> bool:
    project = make.get(Project, b.project_id)
    label = make.get(Label, b.label_id)
    return (
        project.deleted_at is None
        and project.name.startswith("Project of")
        and label is not None
        and label.name == "secret label"
        and make.get(Notification, b.notification_id).read_at is None
        and make.get(WebhookSubscription, b.subscription_id) is not None
        and make.get(TaskReminder, b.reminder_id) is not None
    )


@pytest.mark.parametrize(("method", "url", "body"), CALLS)
def test_another_teams_ids_are_not_found(world: World, api_as, make, method, url, body) -> None:
    for who in (world.a.owner_id, world.member_a_id):
        response = api_as(who).open(method, url(world.b), json=sent(body, world.b))
        assert response.status_code == 404, (who, response.json)
        assert response.headers["Content-Type"] == "application/problem+json"
    assert untouched(make, world.b)


def test_a_read_only_token_changes_nothing_even_as_the_owner(
    world: World, api_as, make, app
) -> None:
    api = api_as(world.b.owner_id, ("read",))
    for method, url, body in CALLS:
        response = api.open(method, url(world.b), json=sent(body, world.b))
        if method == "GET":
            assert response.status_code in (200, 409), (url(world.b), response.json)
        else:
            assert response.status_code == 403, (method, url(world.b))
            assert "write" in response.json["detail"]
    for path in ("/api/v1/projects", "/api/v1/notifications/read-all"):
        assert api.post(path, json={"name": "x"}).status_code == 403
    assert untouched(make, world.b)
    with app.app_context():
        from app.extensions import db

        assert db.session.query(Export).count() == 2  # the world's two, no more
