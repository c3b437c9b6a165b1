"""Webhooks never reach internal addresses: the delivery job re-checks the URL when it connects.

Each URL is stored as if it had been accepted earlier (DNS changed, a row edited), so only the
connect-time check stands between it and the network. The save-time rules and their messages
are in tests/services/test_webhook_rules.py; this table runs the real delivery job.
"""

from __future__ import annotations

from app.extensions import db
from app.models import WebhookDelivery, WebhookStatus, WebhookSubscription
from app.tasks.webhooks import deliver_webhook

# {port} is the local receiver's: were a check missing, the delivery would really arrive there.
INTERNAL_URLS = [
    "http://127.0.0.1:{port}/hooks",
    "http://10.0.0.1:{port}/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:{port}/hooks",
    "http://[::ffff:10.0.0.1]:{port}/hooks",
    "http://[::ffff:127.0.0.1]:{port}/hooks",
    # Names and spellings that resolve to loopback: the resolver's answer is what is checked.
    "http://localhost:{port}/hooks",
    "http://LOCALHOST.:{port}/hooks",
    "http://2130706433:{port}/hooks",
    "http://127.1:{port}/hooks",
    "http://0:{port}/hooks",
]


def delivery_to(app, subscription_id: int, url: str) -> int:
    """A pending delivery for the subscription, now pointing at `url`; written without the
    outbox hook, so no worker elsewhere in the session races this test for it."""
    with app.app_context():
        db.session.get(WebhookSubscription, subscription_id).url = url
        delivery = WebhookDelivery(
            subscription_id=subscription_id, event="ping", event_id=url[:36], payload="{}"
        )
        db.session.add(delivery)
        db.session.commit()
        return delivery.id


def outcome(app, delivery_id: int) -> WebhookDelivery:
    with app.app_context():
        delivery = db.session.get(WebhookDelivery, delivery_id)
        db.session.expunge(delivery)
        return delivery


def test_internal_addresses_are_refused_when_the_job_connects(app, world, receiver, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "")
    port = receiver.server.server_address[1]
    for template in INTERNAL_URLS:
        url = template.format(port=port)
        delivery_id = delivery_to(app, world.b.subscription_id, url)
        deliver_webhook(delivery_id)
        delivery = outcome(app, delivery_id)
        assert delivery.status == WebhookStatus.FAILED, url
        assert (delivery.last_error or "").startswith("refused:"), (url, delivery.last_error)
        assert delivery.response_code is None, url
    assert receiver.received == []


def test_the_same_job_does_deliver_to_a_host_an_operator_allowed(app, world, receiver, monkeypatch):
    """The control: the receiver works, so the refusals above are the check's doing."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    delivery_id = delivery_to(app, world.b.subscription_id, receiver.url)
    deliver_webhook(delivery_id)
    assert outcome(app, delivery_id).status == WebhookStatus.DELIVERED
    assert len(receiver.received) == 1
