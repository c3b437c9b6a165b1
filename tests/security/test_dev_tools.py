"""`make run`'s development tools stay personal: /dev/mail (where password-reset links land) for
an admin at this machine only, /dev/webhooks showing only the viewer's projects' payloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.webhooks.models import WebhookDelivery
from tests.conftest import DEFAULT_PASSWORD
from tests.security.world import World

RESET_LINK = "http://127.0.0.1:5000/reset-password/the-secret-token"
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.10"}  # another machine on the network


@pytest.fixture
def dev_app(make_app, tmp_path: Path) -> Flask:
    app = make_app(DEV_MAILBOX_DIR=str(tmp_path / "mail"), DEV_WEBHOOK_RECEIVER=True)
    app.instance_path = str(tmp_path)  # the receiver's file, private to this test
    return app


def deliver_reset_email(mail_dir: str) -> str:
    """A password-reset email as the local SMTP server stores it; its Maildir key."""
    import mailbox
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Reset your Tickler password"
    message["To"] = "bob@b.example.com"
    message.set_content(f"Open {RESET_LINK} to choose a new password.")
    box = mailbox.Maildir(mail_dir, create=True)
    return box.add(message)


def logged_in(app: Flask, email: str | None):
    client = app.test_client()
    if email:
        response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
    return client


def test_dev_mail_is_for_an_admin_at_this_machine_only(dev_app, world: World):
    key = deliver_reset_email(dev_app.config["DEV_MAILBOX_DIR"])
    pages = ("/dev/mail/", f"/dev/mail/{key}")
    for path in pages:
        anonymous = logged_in(dev_app, None).get(path)
        assert anonymous.status_code == 302 and "/login" in anonymous.location, path
        member = logged_in(dev_app, world.member_a_email).get(path)
        assert member.status_code == 403, path
        assert RESET_LINK.encode() not in anonymous.data + member.data
    # Bob is an admin: he reads it here, and from another machine the tool does not exist.
    admin = logged_in(dev_app, world.b.owner_email)
    assert RESET_LINK in admin.get(f"/dev/mail/{key}").data.decode()
    for path in pages:
        away = admin.get(path, environ_base=ELSEWHERE)
        assert away.status_code == 404 and RESET_LINK.encode() not in away.data, path


def receive(app: Flask, event_id: str, body: str) -> None:
    response = app.test_client().post(
        "/dev/webhooks/receive",
        data=body,
        headers={"X-Tickler-Event": "task.created", "X-Tickler-Delivery": event_id},
    )
    assert response.status_code == 200


def test_dev_webhooks_shows_only_the_viewers_projects_payloads(dev_app, world: World):
    with dev_app.app_context():
        events = {
            team: db.session.get(WebhookDelivery, team_ids.webhook_delivery_id).event_id
            for team, team_ids in (("a", world.a), ("b", world.b))
        }
    receive(dev_app, events["a"], '{"task": "payload of team A"}')
    receive(dev_app, events["b"], '{"task": "payload of team B"}')
    receive(dev_app, "unknown-event", '{"task": "payload of nobody known"}')
    mallory = logged_in(dev_app, world.member_a_email).get("/dev/webhooks/").data.decode()
    assert "payload of team A" in mallory
    assert "payload of team B" not in mallory and "payload of nobody known" not in mallory
    bob = logged_in(dev_app, world.b.owner_email)
    page = bob.get("/dev/webhooks/").data.decode()
    assert "payload of team B" in page and "payload of team A" not in page
    assert bob.get("/dev/webhooks/", environ_base=ELSEWHERE).status_code == 404
