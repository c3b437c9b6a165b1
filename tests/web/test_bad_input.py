"""Bad input to every form and query parameter: a clear answer or a 4xx, never a 500."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Comment, Project, RecurringSeries, User, WebhookSubscription, utcnow
from app.services import recurring as series_rules
from app.services.recurring import TemplateFields

NASTY = [
    "",
    " ",
    "x" * 20_000,
    "😀" * 300,
    "\x00\x01\x7f",
    "subject\r\nBcc: victim@example.com",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "2026-02-30T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "Mars/Olympus_Mons",
    "-1",
    "99999999999999999999999",
    "NaN",
    '{"a":',
]
FIELDS = [
    "title", "description", "status", "priority", "due_at", "assignee_id", "body", "name",
    "email", "password", "confirm", "current_password", "timezone", "url", "events",
    "frequency", "weekdays", "day_of_month", "rule", "starts", "when", "at", "format",
    "watch", "assignee", "sort", "page", "kind", "channel", "digest", "hour", "active",
]  # fmt: skip
QUERY = ["page", "status", "priority", "assignee", "sort", "q", "kind", "state", "format"]


@pytest.fixture
def world(app, make, auth):
    owner = make.user(email="ada@example.com", name="Ada", is_admin=True, timezone="Europe/Berlin")
    member = make.user(email="bob@example.com", name="Bob")
    project = make.project(owner, members=(member,))
    task = make.task(project, owner, title="Target", assignee_id=owner)
    with app.app_context():
        comment = Comment(task_id=task, author_id=owner, body="hello")
        db.session.add(comment)
        series = series_rules.create_series(
            db.session,
            project_id=project,
            owner=db.session.get(User, owner),
            fields=TemplateFields("Chore", "", "medium", None, "FREQ=DAILY", utcnow()),
            now=utcnow(),
        )
        hook = WebhookSubscription(
            project_id=project, url="https://hooks.example.com/x", secret="s", events="task.created"
        )
        db.session.add(hook)
        db.session.commit()
        ids = {
            "project_id": project,
            "task_id": task,
            "comment_id": comment.id,
            "series_id": series.id,
            "subscription_id": hook.id,
            "user_id": member,
        }
    auth.login("ada@example.com")
    return ids


def routes(app, method: str, ids: dict[str, int]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint == "static":
            continue
        # Logging out ends the sweep's session; readiness answers 503 by design when not ready.
        if rule.endpoint in {"auth.logout", "health.readyz"}:
            continue
        values = {
            name: ids.get(name, 1) if "id" in name else "not-a-token" for name in rule.arguments
        }
        urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(urls))


def test_nasty_form_values_never_cause_a_500(app, client, world):
    failures = []
    for url in routes(app, "POST", world):
        for value in NASTY:
            response = client.post(url, data={field: value for field in FIELDS})
            if response.status_code >= 500:
                failures.append((url, value[:30], response.status_code))
    assert failures == []


def test_nasty_query_parameters_never_cause_a_500(app, client, world):
    failures = []
    for url in routes(app, "GET", world):
        for value in NASTY:
            response = client.get(url, query_string={name: value for name in QUERY})
            if response.status_code >= 500:
                failures.append((url, value[:30], response.status_code))
    assert failures == []


def test_titles_with_markup_are_stored_as_typed_and_shown_escaped(app, client, world):
    client.post(
        f"/task/{world['task_id']}/edit",
        data={
            "title": '<img src=x onerror="alert(1)">',
            "description": "see javascript:alert(1) and https://example.com",
            "status": "pending",
            "priority": "high",
            "due_at": "",
            "assignee_id": "0",
        },
    )
    page = client.get(f"/task/{world['task_id']}").data.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x" in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.com"' in page
    with app.app_context():
        assert db.session.get(Project, world["project_id"]) is not None
        assert db.session.scalar(db.select(db.func.count()).select_from(RecurringSeries)) == 1
