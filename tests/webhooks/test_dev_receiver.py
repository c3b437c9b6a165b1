"""The development webhook receiver: POSTs land at /dev/webhooks, signatures checked."""

from __future__ import annotations

import time

from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project
from app.webhooks import service as webhook_rules
from app.webhooks.signing import signature_header


def test_the_receiver_is_only_in_development(app, client, monkeypatch):
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert client.post("/dev/webhooks/receive", data=b"{}").status_code == 404
    monkeypatch.setenv("TICKLER_DEVSTACK_SETTINGS", "off")
    monkeypatch.setenv("SECRET_KEY", "9d2f6b81c4e07a35f1b8d26e04c9a73f5e18")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/tickler")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://redis:6379/0")
    assert DevelopmentConfig().DEV_WEBHOOK_RECEIVER is True
    assert TestingConfig().DEV_WEBHOOK_RECEIVER is False
    assert ProductionConfig().DEV_WEBHOOK_RECEIVER is False


def test_signed_posts_are_shown_valid_and_tampered_ones_invalid(make_app, make, tmp_path):
    dev = make_app(DEV_WEBHOOK_RECEIVER=True, WEBHOOK_ALLOWED_HOSTS="localhost")
    dev.instance_path = str(tmp_path)
    owner = make.user(email="olga@example.com")
    project = make.project(owner)
    with dev.app_context():
        subscription = webhook_rules.create_subscription(
            db.session,
            project=db.session.get(Project, project),
            creator=db.session.get(User, owner),
            url="http://localhost/dev/webhooks/receive",
            events=["task.created"],
            allowed_hosts=frozenset({"localhost"}),
        )
        delivery = webhook_rules.new_delivery(subscription, "ping", {"hello": "<b>"}, utcnow())
        db.session.add(delivery)
        db.session.commit()
        secret, event_id, body = subscription.secret, delivery.event_id, delivery.payload.encode()
    client = dev.test_client()
    for payload in (body, body.replace(b"hello", b"HELLO")):
        headers = {
            "X-Tickler-Event": "ping",
            "X-Tickler-Delivery": event_id,
            "X-Tickler-Signature": signature_header(secret, int(time.time()), body),
            "Content-Type": "application/json",
        }
        assert (
            client.post("/dev/webhooks/receive", data=payload, headers=headers).status_code == 200
        )
    client.post("/login", data={"email": "olga@example.com", "password": "correct horse battery"})
    page = client.get("/dev/webhooks/").data.decode()
    assert page.count(">valid<") == 1 and page.count(">invalid<") == 1
    assert "&lt;b&gt;" in page, "bodies are escaped"
