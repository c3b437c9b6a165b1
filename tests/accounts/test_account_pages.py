"""Password reset, email confirmation and session endings, through a real worker and SMTP."""

from __future__ import annotations

import re

import pytest
import time_machine

from app.accounts.models import User
from app.core.database import utcnow

pytestmark = pytest.mark.worker


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"http://localhost(/{path}/[^\s]+)", text)
    assert match, f"no /{path}/ link in:\n{text}"
    return match.group(1)


def test_forgotten_password_is_reset_by_the_emailed_link_once(client, make, smtp, celery_worker):
    me = make.user(email="ann@example.com", name="Ann")
    response = client.post(
        "/forgot-password", data={"email": "ANN@example.com"}, follow_redirects=True
    )
    assert b"If an account uses that address" in response.data
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Reset your Tickler password"
    assert message.envelope_recipients == ["ann@example.com"]
    link = link_in(message, "reset-password")

    assert client.get(link).status_code == 200
    done = client.post(
        link, data={"new_password": "a brand new secret", "confirm": "a brand new secret"}
    )
    assert done.status_code == 302
    assert client.get("/").status_code == 200, "logged in with the new password"
    client.post("/logout")
    assert (
        client.post(
            "/login", data={"email": "ann@example.com", "password": "correct horse battery"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/login", data={"email": "ann@example.com", "password": "a brand new secret"}
        ).status_code
        == 302
    )

    again = client.get(link)
    assert again.status_code == 400 and b"already been used" in again.data
    assert make.get(User, me).check_password("a brand new secret")


def test_the_answer_never_reveals_whether_an_address_has_an_account(
    client, make, smtp, celery_worker
):
    make.user(email="ann@example.com")
    known = client.post("/forgot-password", data={"email": "ann@example.com"})
    unknown = client.post("/forgot-password", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    smtp.wait_for(1)
    assert [m.envelope_recipients for m in smtp.messages] == [["ann@example.com"]]


def test_reset_links_expire_after_an_hour_and_refuse_tampering(client, make, smtp, celery_worker):
    make.user(email="ann@example.com")
    client.post("/forgot-password", data={"email": "ann@example.com"})
    link = link_in(smtp.wait_for(1)[0], "reset-password")
    tampered = link[:-2] + ("xx" if not link.endswith("xx") else "yy")
    assert b"not valid" in client.get(tampered).data
    with time_machine.travel(utcnow().timestamp() + 3700, tick=False):
        expired = client.get(link)
    assert expired.status_code == 400 and b"expired" in expired.data


def test_registration_sends_a_confirmation_link_that_works_once(client, make, smtp, celery_worker):
    client.post(
        "/register",
        data={
            "name": "Dana",
            "email": "dana@example.com",
            "password": "long enough pw",
            "confirm": "long enough pw",
            "timezone": "UTC",
        },
    )
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Confirm your email address for Tickler"
    link = link_in(message, "verify-email")
    assert client.post(link).status_code == 302
    assert b"Address confirmed" in client.get("/profile").data
    assert b"already confirmed" in client.get(link).data
    assert b"already confirmed" in client.post(link).data


def test_a_password_change_ends_every_other_session(app, make, auth, client):
    make.user(email="ann@example.com")
    other = app.test_client()
    other.post("/login", data={"email": "ann@example.com", "password": "correct horse battery"})
    auth.login("ann@example.com")
    assert other.get("/").status_code == 200
    client.post(
        "/profile",
        data={
            "password-current_password": "correct horse battery",
            "password-new_password": "brand new secret",
            "password-confirm": "brand new secret",
            "password-submit": "1",
        },
    )
    assert client.get("/").status_code == 200, "the session that changed it stays in"
    assert other.get("/").status_code == 302, "every other session is logged out"


def test_login_starts_a_fresh_session(client, make):
    make.user(email="ann@example.com")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/login", data={"email": "ann@example.com", "password": "correct horse battery"})
    with client.session_transaction() as session:
        assert "planted" not in session
