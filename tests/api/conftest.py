"""API fixtures: a person's token with chosen scopes, and a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api.tokens import make_token
from app.core.database import utcnow
from app.extensions import db


def new_token(
    app: Flask,
    user_id: int,
    scopes: tuple[str, ...] = ("read", "write"),
    expires_at: datetime | None = None,
    name: str = "script",
) -> str:
    with app.app_context():
        made = make_token(db.session, user_id, name, scopes, expires_at, utcnow())
        db.session.commit()
        return made.secret


class ApiClient:
    """The test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def open(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.open("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.open("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self.open("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.open("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.open("DELETE", url, **kwargs)


@pytest.fixture
def api_as(app: Flask, client: FlaskClient) -> Callable[..., ApiClient]:
    """api_as(user_id, scopes=...) -> a client calling the API with a fresh token of theirs."""

    def build(user_id: int, scopes: tuple[str, ...] = ("read", "write")) -> ApiClient:
        return ApiClient(client, new_token(app, user_id, scopes))

    return build
