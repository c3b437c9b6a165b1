"""Task emails reply to their reader's signed address for that task, say a reply becomes a
comment, and go out from their ledger row's bounce address (VERP); all of it only with inbound
mail on. Parsed back with the inbound side's own parser; sent through a real worker and SMTP."""

from __future__ import annotations

import base64
import time
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from app.accounts.models import User
from app.core.email.dkim_signing import signer_from_config
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.email.send import to_mime
from app.extensions import db
from app.inbound.addresses import BOUNCE, REPLY, parse_address
from app.notifications.emails import compose_activity, compose_escalation
from app.tasklist.models import Task

INBOUND = "Tickler <tickler@inbound.example.com>"
# Late in the UTC day: already the next day in Tokyo, where Bob lives. The token carries the
# UTC date (app/inbound/outgoing.py), whoever reads the email.
NOW = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
FOOTER_LINE = "Reply to this email to add a comment"


@pytest.fixture
def inbound_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_ADDRESS", INBOUND)
    return app.config


@pytest.fixture
def team(make):
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder", timezone="Asia/Tokyo")
    project = make.project(ann, name="Launch", members=(bob,))
    task = make.task(
        project, ann, title="Write the post", assignee_id=bob, due_at=NOW - timedelta(days=5)
    )
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def activity_message(app, user_id: int, task_id: int):
    with app.app_context():
        user, task = db.session.get(User, user_id), db.session.get(Task, task_id)
        email = compose_activity(user, task, ["Ann Lee assigned it to you"], now=NOW)
        raw = to_mime(email, app.config["MAIL_DEFAULT_SENDER"], "<a@example.com>")
    return email, message_from_bytes(raw, policy=default)


def bodies(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    return text, message.get_body(("html",)).get_content()


def test_an_activity_email_replies_to_its_readers_signed_address_for_the_task(
    app, inbound_on, team
):
    email, message = activity_message(app, team["bob"], team["task"])
    reply = parse_address(inbound_on, message["Reply-To"].addresses[0].addr_spec)
    assert reply is not None and reply.kind == REPLY and reply.signed
    assert (reply.user_id, reply.task_id) == (team["bob"], team["task"])
    assert reply.issued == date(2026, 11, 25), "the UTC date, not Tokyo's 26th"
    assert email.reply_to == f"Tickler <{reply.address}>"
    assert message["Reply-To"].addresses[0].display_name == "Tickler"
    # The thread and the From stay as they were.
    assert message["In-Reply-To"] == f"<task-{team['task']}@localhost>"


def test_each_reader_gets_their_own_reply_address(app, inbound_on, team):
    _, to_bob = activity_message(app, team["bob"], team["task"])
    _, to_ann = activity_message(app, team["ann"], team["task"])
    assert to_bob["Reply-To"] != to_ann["Reply-To"]
    reply = parse_address(inbound_on, to_ann["Reply-To"].addresses[0].addr_spec)
    assert reply is not None and (reply.user_id, reply.task_id) == (team["ann"], team["task"])


def test_the_footer_says_a_reply_becomes_a_comment_in_both_parts(app, inbound_on, team):
    _, message = activity_message(app, team["bob"], team["task"])
    text, html = bodies(message)
    assert f"--\n{FOOTER_LINE}.\n" in text.replace("\r\n", "\n")
    assert f"<strong>{FOOTER_LINE}.</strong></p>" in html


def test_an_escalation_replies_to_the_owners_address_for_the_late_task(app, inbound_on, team):
    with app.app_context():
        owner, task = db.session.get(User, team["ann"]), db.session.get(Task, team["task"])
        email = compose_escalation(owner, task, ["5 days overdue"], NOW)
        raw = to_mime(email, app.config["MAIL_DEFAULT_SENDER"], "<e@example.com>")
    message = message_from_bytes(raw, policy=default)
    reply = parse_address(inbound_on, message["Reply-To"].addresses[0].addr_spec)
    assert reply is not None and reply.signed
    assert (reply.user_id, reply.task_id) == (team["ann"], team["task"])
    assert FOOTER_LINE in bodies(message)[0]


def test_with_inbound_mail_off_task_emails_are_as_before(app, team):
    assert not app.config.get("INBOUND_ADDRESS")
    email, message = activity_message(app, team["bob"], team["task"])
    assert email.reply_to is None and email.envelope_from is None
    assert message["Reply-To"] == "Tickler <tickler@localhost>"
    text, html = bodies(message)
    assert FOOTER_LINE not in text and FOOTER_LINE not in html
    assert "mailto:" not in html


@pytest.fixture(scope="module")
def dkim_key() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def test_dkim_signs_the_reply_address_so_nobody_can_redirect_replies(
    app, inbound_on, team, dkim_key, tmp_path
):
    private, record = dkim_key
    path = tmp_path / "dkim.pem"
    path.write_bytes(private)
    signer = signer_from_config(
        {
            "DKIM_PRIVATE_KEY_PATH": str(path),
            "DKIM_SELECTOR": "tickler1",
            "MAIL_DEFAULT_SENDER": "Tickler <tickler@example.com>",
        }
    )
    assert signer is not None
    with app.app_context():
        user, task = db.session.get(User, team["bob"]), db.session.get(Task, team["task"])
        email = compose_activity(user, task, ["Ann Lee assigned it to you"], now=NOW)
        signed = signer.sign(to_mime(email, "Tickler <tickler@example.com>", "<d@example.com>"))

    def dns(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == b"tickler1._domainkey.example.com." else None

    assert dkim.verify(signed, dnsfunc=dns)
    assert email.reply_to is not None
    redirected = signed.replace(email.reply_to.encode(), b"attacker@evil.example")
    assert redirected != signed and not dkim.verify(redirected, dnsfunc=dns)


def wait_for_message(smtp, count: int = 1):
    messages = smtp.wait_for(count)
    assert len(messages) == count, "the activity email never arrived"
    return messages


def delivery_of(app, user_id: int) -> Delivery:
    with app.app_context():
        [row] = db.session.scalars(
            select(Delivery).where(
                Delivery.recipient_id == user_id, Delivery.kind == EmailKind.TASK_ACTIVITY
            )
        )
        db.session.expunge(row)
        return row


def settled_delivery_of(app, user_id: int, patience: float = 30) -> Delivery:
    """The row once its sender has settled it: the SMTP server may hold the message a moment
    before the worker writes what it sent."""
    deadline = time.monotonic() + patience
    while True:
        row = delivery_of(app, user_id)
        if row.status == DeliveryStatus.SENT or time.monotonic() > deadline:
            return row
        time.sleep(0.05)


def assign_to_bob(client, auth, team) -> None:
    auth.login("ann@example.com")
    data = {
        "title": "Write the post",
        "description": "",
        "priority": "medium",
        "due_at": "",
        "status": "pending",
        "assignee_id": str(team["bob"]),
    }
    with client.application.app_context():
        db.session.execute(db.update(Task).where(Task.id == team["task"]).values(assignee_id=None))
        db.session.commit()
    response = client.post(f"/task/{team['task']}/edit", data=data)
    assert response.status_code == 302, response.data


@pytest.mark.worker
def test_an_activity_email_reaches_smtp_from_its_ledger_rows_bounce_address(
    app, client, auth, smtp, celery_worker, inbound_on, team
):
    assign_to_bob(client, auth, team)
    [message] = wait_for_message(smtp)
    row = settled_delivery_of(app, team["bob"])
    bounce = parse_address(inbound_on, message.envelope_from)
    assert bounce is not None and bounce.kind == BOUNCE and bounce.signed
    assert bounce.delivery_id == row.id
    reply = parse_address(inbound_on, message["Reply-To"].addresses[0].addr_spec)
    assert reply is not None and (reply.user_id, reply.task_id) == (team["bob"], team["task"])
    # The ledger row's Message-ID is the one sent, as before.
    assert message["Message-ID"] == row.message_id


@pytest.mark.worker
def test_with_inbound_mail_off_the_envelope_sender_is_the_senders_address(
    app, client, auth, smtp, celery_worker, team
):
    assign_to_bob(client, auth, team)
    [message] = wait_for_message(smtp)
    assert message.envelope_from == "tickler@localhost"
    assert message["Reply-To"] == "Tickler <tickler@localhost>"
    time.sleep(0.2)
    assert len(smtp.messages) == 1
