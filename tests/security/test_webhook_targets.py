"""Webhooks never reach internal addresses: the delivery job re-checks the URL when it connects.

Each URL is stored as if it had been accepted earlier (DNS changed, a row edited), so only the
connect-time check stands between it and the network. The save-time rules and their messages
are in tests/webhooks/test_rules.py; this table runs the real delivery job.
"""

from __future__ import annotations

from app.extensions import db
from app.webhooks.jobs import deliver_webhook
from app.webhooks.models import WebhookDelivery, WebhookStatus, WebhookSubscription

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
    # IPv6 forms that carry an internal IPv4 address to a gateway (15.8).
    "http://[2002:7f00:1::1]:{port}/hooks",  # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/latest/meta-data/",  # 6to4 of the metadata address
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:{port}/hooks",  # Teredo, client 127.0.0.1
    "http://[64:ff9b::a00:1]:{port}/hooks",  # NAT64 of 10.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 of the metadata address
    "http://[::7f00:1]:{port}/hooks",  # IPv4-compatible 127.0.0.1
    "http://[2001:db8::5efe:a00:1]:{port}/hooks",  # ISATAP of 10.0.0.1
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


def test_a_url_that_cannot_be_sent_fails_at_once_instead_of_retrying(
    app, world, receiver, monkeypatch
):
    """A space in the path: http.client refuses it at every attempt, so it was retried forever."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    delivery_id = delivery_to(app, world.b.subscription_id, receiver.url + "/a b")
    deliver_webhook(delivery_id)
    delivery = outcome(app, delivery_id)
    assert delivery.status == WebhookStatus.FAILED
    assert delivery.last_error == (
        "refused: The URL's path has a space or control character; encode it (a space is %20)."
    )


SAVE_REFUSALS = {
    "http://[2002:a00:1::1]/hooks": "a private or internal address",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hooks": "a private or internal address",
    "http://[64:ff9b::a9fe:a9fe]/hooks": "a private or internal address",
    "https://hooks.example.com/my hook": "encode it (a space is %20)",
}


def test_embedded_internal_addresses_and_unsendable_urls_are_refused_at_save(
    app, client, auth, world
):
    auth.login(world.b.owner_email)
    with app.app_context():
        before = db.session.query(WebhookSubscription).count()
    for url, message in SAVE_REFUSALS.items():
        response = client.post(
            f"/projects/{world.b.project_id}/webhooks",
            data={"url": url, "events": ["task.created"]},
        )
        assert response.status_code == 200, url
        assert message in response.data.decode(), url
    with app.app_context():
        assert db.session.query(WebhookSubscription).count() == before
