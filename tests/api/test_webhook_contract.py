"""Webhooks as the OpenAPI document promises them: real deliveries (a worker POSTing to a
receiver on 127.0.0.1) carry Standard Webhooks headers the standardwebhooks library verifies,
keep X-Tickler-Signature, and each body validates against its event's schema in the document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema_rs
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.accounts.models import User
from app.extensions import db
from app.labels import service as labels
from app.projects.models import Project
from app.webhooks import service as webhook_rules
from app.webhooks.models import WEBHOOK_EVENTS
from app.webhooks.signing import standard_headers
from tests.webhooks.test_jobs import hook_settings, wait_until  # noqa: F401  (a fixture)

pytestmark = pytest.mark.worker


@pytest.fixture
def every_event_hook(app, make, auth, receiver, hook_settings):  # noqa: F811
    owner = make.user(email="olga@example.com", name="Olga")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(owner, members=(bob,))
    with app.app_context():
        subscription = webhook_rules.create_subscription(
            db.session,
            project=db.session.get(Project, project),
            creator=db.session.get(User, owner),
            url=receiver.url,
            events=list(WEBHOOK_EVENTS),
            allowed_hosts=frozenset({"127.0.0.1"}),
        )
        label = labels.create_label(db.session, project, "Urgent", "#d93f0b")
        db.session.commit()
        receiver.secret = subscription.secret
        ids = {"label": label.id, "subscription": subscription.id}
    auth.login("olga@example.com")
    return {"owner": owner, "bob": bob, "project": project, **ids}


def cause_every_event(client: Any, hook: dict[str, Any], receiver: Any) -> None:
    """Through the pages, as a person would: every event Tickler delivers, at least once."""
    form = {
        "title": "Ship it",
        "description": "Before Friday",
        "status": "pending",
        "priority": "high",
        "due_at": "",
        "assignee_id": str(hook["bob"]),
    }
    client.post(f"/projects/{hook['project']}/tasks/new", data=form)
    with client.application.app_context():
        from app.tasklist.models import Task

        task = db.session.scalar(db.select(Task.id).where(Task.title == "Ship it"))
    client.post(f"/task/{task}/edit", data={**form, "status": "in_progress"})
    client.post(f"/task/{task}/labels", data={"label": str(hook["label"])})
    client.post(f"/task/{task}/comments", data={"body": "On it"})
    client.post(f"/task/{task}/complete")
    # Completing is a job: let it run before the task goes to the Trash.
    assert wait_until(lambda: "task.completed" in {r.event for r in receiver.received})
    client.post(f"/task/{task}/delete")
    client.post(f"/task/{task}/restore-from-trash")
    client.post(f"/webhooks/{hook['subscription']}/ping")


def document_validator(document: dict[str, Any], event: str) -> Any:
    """A validator for one webhook's body, resolving $refs inside the whole document."""
    pointer = f"#/webhooks/{event}/post/requestBody/content/application~1json/schema"
    return jsonschema_rs.Draft202012Validator({**document, "$ref": pointer}, validate_formats=True)


def test_every_delivered_event_verifies_and_matches_the_documented_schema(
    app, client, every_event_hook, receiver, celery_worker
):
    cause_every_event(client, every_event_hook, receiver)
    expected = {*WEBHOOK_EVENTS, "ping"}
    assert wait_until(lambda: {r.event for r in receiver.received} == expected), sorted(
        r.event for r in receiver.received
    )
    # Whatever else arrives meanwhile (the count of each kind is tests/webhooks' business).
    receiver.wait_for(len(receiver.received))
    document = client.get("/api/v1/openapi.json").json
    verifier = Webhook(receiver.secret)
    for delivery in receiver.received:
        # The library's own verifier, given the raw bytes and the headers as they arrived.
        assert verifier.verify(delivery.raw, delivery.headers) == delivery.body
        assert delivery.headers["webhook-id"] == delivery.delivery == delivery.body["id"]
        assert delivery.signature_ok, "X-Tickler-Signature is still sent and verifies"
        errors = list(document_validator(document, delivery.event).iter_errors(delivery.body))
        assert not errors, f"{delivery.event}: {[str(e) for e in errors]}"
    labelled = [
        r.body["data"]["task"]["labels"] for r in receiver.received if r.event == "task.completed"
    ]
    assert labelled == [[{"id": every_event_hook["label"], "name": "Urgent", "color": "#d93f0b"}]]
    # The headers for comparison: the task the API would show has the same fields.
    created = next(r for r in receiver.received if r.event == "task.created")
    task = created.body["data"]["task"]
    assert {"creator_id", "created_at", "updated_at"} <= set(task)
    assert (task["creator_id"], task["assignee_id"]) == (
        every_event_hook["owner"],
        every_event_hook["bob"],
    )


def test_a_tampered_body_or_an_old_timestamp_is_refused_by_the_library():
    secret = "whsec_" + "ab12" * 12  # the shape new_secret makes: 48 hex characters
    body = json.dumps({"id": "x", "event": "ping"}).encode()
    now = int(datetime.now(UTC).timestamp())
    headers = standard_headers(secret, "evt-1", now, body)
    assert Webhook(secret).verify(body, headers) == {"id": "x", "event": "ping"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"ping", b"pong"), headers)
    old = int((datetime.now(UTC) - timedelta(minutes=10)).timestamp())
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, standard_headers(secret, "evt-1", old, body))
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "cd34" * 12).verify(body, headers)


def test_the_standard_webhooks_key_is_the_secret_base64_decoded():
    """Documented in docs/WEBHOOKS.md: other languages' libraries derive the same key."""
    import base64
    import hashlib
    import hmac

    secret = "whsec_" + "0f" * 24
    body = b'{"a":1}'
    key = base64.b64decode(secret.removeprefix("whsec_"))
    assert len(key) == 36
    expected = base64.b64encode(
        hmac.new(key, b"evt-1.1800000000." + body, hashlib.sha256).digest()
    ).decode()
    headers = standard_headers(secret, "evt-1", 1_800_000_000, body)
    assert headers == {
        "webhook-id": "evt-1",
        "webhook-timestamp": "1800000000",
        "webhook-signature": f"v1,{expected}",
    }


def test_a_secret_that_is_not_base64_still_signs_rather_than_failing_the_delivery():
    headers = standard_headers("s", "evt-1", 1_800_000_000, b"{}")
    assert headers["webhook-signature"].startswith("v1,")
