"""Webhooks through the API: owners only, the secret shown once, the same URL safety rules."""

from __future__ import annotations

from flask import Flask

from app.webhooks.models import WebhookSubscription


def test_owners_add_a_webhook_and_see_its_secret_once(
    app: Flask, api_as, make, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    made = api.post(
        f"/api/v1/projects/{project}/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "events": ["task.created", "comment.created"]},
    )
    assert made.status_code == 201, made.json
    stored = make.get(WebhookSubscription, made.json["id"])
    assert made.json["secret"] == stored.secret and stored.created_by_id == ann
    assert made.json["events"] == ["task.created", "comment.created"]
    listed = api.get(f"/api/v1/projects/{project}/webhooks").json
    assert [w["id"] for w in listed] == [made.json["id"]] and "secret" not in listed[0]


def test_a_private_address_is_refused_with_the_reason(
    app: Flask, api_as, make, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "")
    ann = make.user()
    project = make.project(ann)
    refused = api_as(ann).post(
        f"/api/v1/projects/{project}/webhooks",
        json={"url": "http://127.0.0.1/hook", "events": ["task.created"]},
    )
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "url" and "private" in refused.json["detail"]


def test_unknown_events_are_a_422(api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    bad = api_as(ann).post(
        f"/api/v1/projects/{project}/webhooks",
        json={"url": "http://127.0.0.1/hook", "events": ["task.exploded"]},
    )
    assert bad.status_code == 422 and bad.json["errors"][0]["field"].startswith("events")


def test_members_may_not_see_add_or_delete_webhooks(app: Flask, api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, members=(mia,))
    with app.app_context():
        from app.extensions import db

        hook = WebhookSubscription(
            project_id=project, url="https://hooks.example.com/in", secret="s" * 32,
            events="task.created",
        )  # fmt: skip
        db.session.add(hook)
        db.session.commit()
        hook_id = hook.id
    api = api_as(mia)
    assert api.get(f"/api/v1/projects/{project}/webhooks").status_code == 403
    assert (
        api.post(
            f"/api/v1/projects/{project}/webhooks",
            json={"url": "https://hooks.example.com/x", "events": ["task.created"]},
        ).status_code
        == 403
    )
    assert api.delete(f"/api/v1/webhooks/{hook_id}").status_code == 403
    assert api_as(ann).delete(f"/api/v1/webhooks/{hook_id}").status_code == 204
    assert make.get(WebhookSubscription, hook_id) is None
