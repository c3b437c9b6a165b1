"""Webhook pages in the owner's language: labels, delivery statuses and counts, dates, and
the URL checks' refusals; event names (the API's) stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import User
from app.extensions import db
from app.webhooks.models import WebhookDelivery, WebhookStatus, WebhookSubscription

MONDAY_EIGHT_BERLIN = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
MONDAY_EIGHT_TOKYO = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)


def owner_speaking(app, make, auth, code: str, timezone: str):
    owner = make.user(email="olga@example.com", timezone=timezone)
    project = make.project(owner, name="Launch")
    with app.app_context():
        db.session.get(User, owner).language = code
        subscription = WebhookSubscription(
            project_id=project,
            created_by_id=owner,
            url="https://hooks.example.com/in",
            secret="s" * 32,
            events="task.created",
            active=True,
        )
        db.session.add(subscription)
        db.session.flush()
        db.session.add(
            WebhookDelivery(
                subscription_id=subscription.id,
                event="task.created",
                event_id="e-1",
                payload="{}",
                status=WebhookStatus.DELIVERED,
                attempts=1,
                response_code=200,
                duration_ms=42,
                created_at=MONDAY_EIGHT_BERLIN if code == "de" else MONDAY_EIGHT_TOKYO,
            )
        )
        db.session.commit()
        subscription_id = subscription.id
    auth.login("olga@example.com")
    return project, subscription_id


def test_webhook_pages_in_german(app, client, make, auth):
    project, subscription_id = owner_speaking(app, make, auth, "de", "Europe/Berlin")
    listing = client.get(f"/projects/{project}/webhooks").data.decode()
    assert "1 zugestellt" in listing and "Webhook hinzufügen" in listing
    assert "Eine Aufgabe wird erstellt" in listing and "<code>task.created</code>" in listing
    detail = client.get(f"/webhooks/{subscription_id}").data.decode()
    assert "Mo., 7. Dez. 2026, 08:00" in detail
    assert ">zugestellt</span>" in detail and 'data-status="delivered"' in detail
    assert "Test-Ping senden" in detail and "Zustellungen" in detail


def test_webhook_detail_in_japanese(app, client, make, auth):
    _, subscription_id = owner_speaking(app, make, auth, "ja", "Asia/Tokyo")
    detail = client.get(f"/webhooks/{subscription_id}").data.decode()
    assert "2026年12月7日(月) 8:00" in detail
    assert "配信済み" in detail and "テスト ping を送信" in detail and "42 ミリ秒" in detail


def test_a_private_address_is_refused_in_german(app, client, make, auth, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "")
    project, _ = owner_speaking(app, make, auth, "de", "Europe/Berlin")
    response = client.post(
        f"/projects/{project}/webhooks",
        data={"url": "http://10.0.0.1/hook", "events": ["task.created"], "active": "y"},
    )
    assert "10.0.0.1 verweist auf 10.0.0.1, eine private oder interne Adresse" in (
        response.data.decode()
    )
