"""The API's door: tokens, scopes, no cookies, problem+json, cursors, the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.api.models import ApiToken
from app.api.paging import decode_cursor, encode_cursor
from app.api.tokens import hash_secret, revoke
from app.core.database import utcnow
from app.extensions import db
from tests.api.conftest import new_token


def test_a_token_says_who_it_belongs_to(app: Flask, client, make) -> None:
    ann = make.user(email="ann@example.com", name="Ann")
    token = new_token(app, ann, ("read",))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["email"] == "ann@example.com" and response.json["scopes"] == ["read"]


def test_only_the_hash_is_stored_and_use_is_noted(app: Flask, client, make) -> None:
    token = new_token(app, make.user())
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    with app.app_context():
        (row,) = db.session.query(ApiToken).all()
        assert row.token_hash == hash_secret(token) and token not in (row.prefix, row.token_hash)
        assert row.last_used_at is not None


def test_no_token_is_a_401_problem_with_a_challenge(client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["status"] == 401 and response.json["title"]


@pytest.mark.parametrize("state", ["revoked", "expired", "made up"])
def test_dead_tokens_are_refused(app: Flask, client, make, state: str) -> None:
    user = make.user()
    token = new_token(app, user, expires_at=utcnow() + timedelta(days=1))
    with app.app_context():
        row = db.session.query(ApiToken).one()
        if state == "revoked":
            revoke(db.session, user, row.id, utcnow())
        elif state == "expired":
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    if state == "made up":
        token = "tkl_" + "x" * 43
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_session_cookie_opens_no_api_door(client, auth, make) -> None:
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    assert client.get("/api/v1/me").status_code == 401


def test_a_read_only_token_may_not_change_anything(app: Flask, client, make) -> None:
    token = new_token(app, make.user(), ("read",))
    response = client.post("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (403, 405)
    if response.status_code == 403:
        assert "write" in response.json["detail"]


def test_cursors_round_trip_and_strangers_are_refused(app: Flask) -> None:
    cursor = encode_cursor(["2026-12-07T09:00:00+00:00", 42])
    assert decode_cursor(cursor, 2) == ["2026-12-07T09:00:00+00:00", 42]
    with app.test_request_context("/api/v1/tasks"):
        for bad in ("not-base64!", encode_cursor([1])):
            with pytest.raises(Exception) as raised:
                decode_cursor(bad, 2)
            assert getattr(raised.value, "code", None) == 422


def test_the_openapi_document_is_3_1_and_public(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/me" in document["paths"]
