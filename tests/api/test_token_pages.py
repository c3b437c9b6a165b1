"""The profile's API tokens page: make a token (secret shown once), use it, revoke it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine
from flask import Flask

from app.api.models import ApiToken
from app.api.token_views import end_of_day
from app.extensions import db

PAGE = "/profile/api-tokens"
SECRET = re.compile(r"tkl_[A-Za-z0-9_-]{43}")


def make_one(client, name: str = "deploy script", scopes=("read", "write"), **extra) -> str:
    """POST the form, follow the redirect; the secret shown on the page."""
    response = client.post(
        PAGE, data={"name": name, "scopes": list(scopes), **extra}, follow_redirects=True
    )
    assert response.status_code == 200
    found = SECRET.search(response.text)
    assert found, response.text
    return found.group(0)


def test_a_token_is_shown_once_works_and_stops_when_revoked(app: Flask, client, auth, make):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    secret = make_one(client)
    again = client.get(PAGE)
    assert secret not in again.text and "deploy script" in again.text
    assert secret[:12] in again.text  # the prefix, to tell tokens apart
    assert "never" in again.text  # not used yet

    bearer = {"Authorization": f"Bearer {secret}"}
    me = client.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200 and me.json["email"] == "ann@example.com"
    assert me.json["scopes"] == ["read", "write"]
    assert "never" not in client.get(PAGE).text.split("Your tokens")[1]

    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    response = client.post(f"{PAGE}/{token_id}/revoke", follow_redirects=True)
    assert response.status_code == 200 and "Revoked" in response.text
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_the_new_token_page_says_it_is_shown_once(client, auth, make):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    response = client.post(PAGE, data={"name": "ci", "scopes": ["read"]}, follow_redirects=True)
    assert "you will not see it again" in response.text
    assert 'data-copy="token-secret"' in response.text


def test_another_person_cannot_revoke_your_token(app: Flask, client, auth, make):
    make.user(email="ann@example.com")
    make.user(email="bob@example.com")
    auth.login("ann@example.com")
    secret = make_one(client)
    auth.logout()
    auth.login("bob@example.com")
    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    assert client.post(f"{PAGE}/{token_id}/revoke").status_code == 404
    assert "deploy script" not in client.get(PAGE).text
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )


def test_only_admins_may_give_a_token_the_admin_scope(app: Flask, client, auth, make):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    assert 'value="admin"' not in client.get(PAGE).text
    response = client.post(PAGE, data={"name": "sneaky", "scopes": ["read", "admin"]})
    assert response.status_code == 200
    assert "Only admins can give a token the admin scope." in response.text
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0


def test_an_admin_may_make_an_admin_token(app: Flask, client, auth, make):
    make.user(email="root@example.com", is_admin=True)
    auth.login("root@example.com")
    assert 'value="admin"' in client.get(PAGE).text
    secret = make_one(client, scopes=("read", "admin"))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json["scopes"] == ["admin", "read"]


def test_a_token_needs_a_name_and_a_scope(app: Flask, client, auth, make):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    response = client.post(PAGE, data={"name": " ", "scopes": []})
    assert "Name the token" in response.text and "Choose at least one scope." in response.text
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0


def test_the_expiry_is_the_end_of_that_day_in_the_persons_timezone(app: Flask, client, auth, make):
    make.user(email="ann@example.com", timezone="Europe/Berlin")
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False) as clock:
        auth.login("ann@example.com")
        secret = make_one(client, expires_on="2026-03-20")
        with app.app_context():
            token = db.session.query(ApiToken).one()
            # Midnight starting 21 March in Berlin (UTC+1) is 23:00 UTC on the 20th.
            assert token.expires_at == datetime(2026, 3, 20, 23, tzinfo=UTC)
        bearer = {"Authorization": f"Bearer {secret}"}
        clock.move_to(datetime(2026, 3, 20, 22, 59, tzinfo=UTC))
        assert client.get("/api/v1/me", headers=bearer).status_code == 200
        clock.move_to(datetime(2026, 3, 20, 23, 0, 1, tzinfo=UTC))
        assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_an_expiry_in_the_past_is_refused_on_the_form(app: Flask, client, auth, make):
    make.user(email="ann@example.com")
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        auth.login("ann@example.com")
        response = client.post(
            PAGE, data={"name": "old", "scopes": ["read"], "expires_on": "2026-03-09"}
        )
    assert "The expiry date must be in the future." in response.text
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0


def test_end_of_day_crosses_daylight_saving() -> None:
    # Clocks go forward in Berlin on 29 March 2026: the day ends at 22:00 UTC.
    assert end_of_day(date(2026, 3, 29), "Europe/Berlin") == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert end_of_day(date(2026, 3, 29), "UTC") == datetime(2026, 3, 30, tzinfo=UTC)


def test_the_profile_links_to_the_tokens_page(client, auth, make):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    assert 'href="/profile/api-tokens"' in client.get("/profile").text
