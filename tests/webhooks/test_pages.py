"""Webhook pages: owners manage them, private addresses are refused, the log stays cheap."""

from __future__ import annotations

import pytest

from app.core.database import utcnow
from app.extensions import db
from app.webhooks import service as webhook_rules
from app.webhooks.models import WebhookDelivery, WebhookSubscription


@pytest.fixture
def team(make, auth):
    owner = make.user(email="olga@example.com", name="Olga")
    member = make.user(email="bob@example.com", name="Bob")
    make.user(email="eve@example.com", name="Eve")
    project = make.project(owner, members=(member,))
    auth.login("olga@example.com")
    return {"owner": owner, "project": project}


def subscriptions(app):
    with app.app_context():
        return list(db.session.scalars(db.select(WebhookSubscription)))


def add(client, project, url, events=("task.created",)):
    return client.post(
        f"/projects/{project}/webhooks", data={"url": url, "events": list(events), "active": "y"}
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",  # a name that resolves to 127.0.0.1
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://2130706433/hook",  # 127.0.0.1 written as a number
    ],
)
def test_private_and_loopback_urls_are_refused_when_saved(app, client, team, url, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "")
    response = add(client, team["project"], url)
    assert response.status_code == 200
    page = response.data.decode()
    assert "a private or internal address" in page or "could not be found" in page
    assert subscriptions(app) == []


@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        ("ftp://example.com/", ["task.created"], "Use an http:// or https:// URL"),
        ("", ["task.created"], "Enter the URL to send events to."),
        ("https://example.com/\r\nX: y", ["task.created"], "one line"),
        ("https://example.com/", [], "Choose one or more events."),
        ("https://example.com/", ["task.exploded"], "Choose events from the list."),
    ],
)
def test_bad_input_gets_a_clear_message(app, client, team, url, events, message):
    response = add(client, team["project"], url, events)
    assert message in response.data.decode()
    assert subscriptions(app) == []


def test_the_development_allow_list_lets_a_local_receiver_in(app, client, team, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "localhost, 127.0.0.1")
    response = add(
        client, team["project"], "http://localhost:9000/hook", ["task.created", "comment.created"]
    )
    assert response.status_code == 302
    (subscription,) = subscriptions(app)
    assert subscription.events == "task.created comment.created"
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    page = client.get(f"/webhooks/{subscription.id}").data.decode()
    assert subscription.secret in page, "owners see the secret to verify with"
    response = client.post(
        f"/webhooks/{subscription.id}",
        data={"url": "http://localhost:9001/hook", "events": ["task.completed"]},
    )
    assert response.status_code == 302
    (subscription,) = subscriptions(app)
    assert (subscription.url, subscription.events, subscription.active) == (
        "http://localhost:9001/hook",
        "task.completed",
        False,
    )


def test_only_owners_manage_webhooks(app, client, auth, team, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    add(client, team["project"], "http://127.0.0.1:9/hook")
    (subscription,) = subscriptions(app)
    urls = [
        ("get", f"/projects/{team['project']}/webhooks"),
        ("post", f"/projects/{team['project']}/webhooks"),
        ("get", f"/webhooks/{subscription.id}"),
        ("post", f"/webhooks/{subscription.id}/ping"),
        ("post", f"/webhooks/{subscription.id}/delete"),
    ]
    for email, expected in (("bob@example.com", 403), ("eve@example.com", 404)):
        auth.logout()
        auth.login(email)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == expected, (email, url)
        assert "Webhooks" not in client.get(f"/projects/{team['project']}/tasks").data.decode()
    assert len(subscriptions(app)) == 1
    auth.logout()
    auth.login("olga@example.com")
    assert client.post(f"/webhooks/{subscription.id}/delete").status_code == 302
    assert subscriptions(app) == []


def test_the_delivery_log_page_costs_the_same_queries_for_many_deliveries(
    app, client, team, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    add(client, team["project"], "http://127.0.0.1:9/hook")
    (subscription,) = subscriptions(app)

    def log_rows(n):
        with app.app_context():
            row = db.session.get(WebhookSubscription, subscription.id)
            db.session.add_all(
                webhook_rules.new_delivery(row, "ping", {"n": i}, utcnow()) for i in range(n)
            )
            db.session.commit()

    log_rows(1)
    with count_queries() as few:
        client.get(f"/webhooks/{subscription.id}")
        client.get(f"/projects/{team['project']}/webhooks")
    log_rows(60)
    with count_queries() as many:
        page = client.get(f"/webhooks/{subscription.id}").data.decode()
        client.get(f"/projects/{team['project']}/webhooks")
    assert len(many) == len(few)
    assert page.count("Redeliver") == 25 and "Older" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebhookDelivery)) == 61
