"""A fingerprint of everything stored, to show a request changed nothing."""

from __future__ import annotations

import hashlib
import re

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db

CSRF_FIELD = re.compile(rb'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def database_fingerprint(app: Flask) -> dict[str, str]:
    """{table: hash of its rows}; one statement per table, whatever the number of rows."""
    fingerprint = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            fingerprint[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        db.session.rollback()
    return fingerprint


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def csrf_token_from(client: FlaskClient, path: str = "/login") -> str:
    found = CSRF_FIELD.search(client.get(path).data)
    assert found, f"no CSRF field on {path}"
    return found.group(1).decode()


def login_with_csrf(client: FlaskClient, email: str, password: str) -> None:
    token = csrf_token_from(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.data[:300]
