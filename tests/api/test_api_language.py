"""The API answers people in their language: a problem's detail and its field messages follow
Accept-Language when the request sends it, else the token owner's language; what programs read
(type, field names, status) stays the same. The token pages are in the signed-in person's."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from flask import Flask

from tests.languages import speaks

BAD_CURSOR = "/api/v1/notifications?cursor=not-one-of-ours"


def test_a_german_token_owner_gets_a_german_422(app: Flask, api_as, make) -> None:
    ann = make.user()
    speaks(app, ann, "de")
    response = api_as(ann).get(BAD_CURSOR)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["detail"] == "Dieser Cursor stammt nicht von dieser API."
    assert response.json["type"] == "about:blank" and response.json["status"] == 422


def test_field_messages_are_in_the_owners_language_and_field_names_stay(
    app: Flask, api_as, make
) -> None:
    ann = make.user()
    speaks(app, ann, "de")
    project = make.project(ann)
    response = api_as(ann).post(
        f"/api/v1/projects/{project}/tasks", json={"priority": 3, "description": "x"}
    )
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json["errors"]}
    assert errors == {"priority": "Muss eine Zeichenkette sein."}
    response = api_as(ann).post(f"/api/v1/projects/{project}/tasks", json={"description": "x"})
    errors = {error["field"]: error["message"] for error in response.json["errors"]}
    assert errors == {"title": "Pflichtfeld fehlt."}
    response = api_as(ann).post(
        f"/api/v1/projects/{project}/tasks", json={"title": "Paint", "status": "later"}
    )
    [error] = response.json["errors"]
    assert error["field"] == "status" and error["message"].startswith("Muss eines davon sein: ")
    assert "pending" in error["message"]  # the values a program sends stay as they are


def test_accept_language_wins_over_the_owners_language(app: Flask, api_as, make) -> None:
    ann = make.user()
    speaks(app, ann, "de")
    response = api_as(ann).get(BAD_CURSOR, headers={"Accept-Language": "ja"})
    assert response.json["detail"] == "このカーソルはこの API が発行したものではありません。"
    project = make.project(ann)
    response = api_as(ann).post(
        f"/api/v1/projects/{project}/tasks",
        json={"title": "x" * 1000},
        headers={"Accept-Language": "ja"},
    )
    [error] = response.json["errors"]
    assert error["field"] == "title" and error["message"] == "長さは 1〜200 にしてください。"


def test_english_stays_as_it_was(api_as, make) -> None:
    ann = make.user()
    response = api_as(ann).get(BAD_CURSOR)
    assert response.json["detail"] == "The cursor is not one this API gave out."
    response = api_as(ann, scopes=("read",)).post("/api/v1/projects", json={"name": "x"})
    assert response.status_code == 403
    assert response.json["detail"] == "This token lacks the 'write' scope."


def test_a_missing_scope_is_refused_in_the_owners_language(app: Flask, api_as, make) -> None:
    ann = make.user()
    speaks(app, ann, "fr")
    response = api_as(ann, scopes=("read",)).post("/api/v1/projects", json={"name": "x"})
    assert response.status_code == 403
    assert response.json["detail"] == "Ce jeton n'a pas la portée 'write'."


MOMENT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def made_token_page(app: Flask, client, auth, make, language: str) -> str:
    ann = make.user(email="ann@example.com")
    speaks(app, ann, language)
    # Logged in at the moment looked at: a session from a shifted test clock's future ends.
    with time_machine.travel(MOMENT, tick=False):
        auth.login("ann@example.com")
        client.post("/profile/api-tokens", data={"name": "deploy script", "scopes": ["read"]})
        return client.get("/profile/api-tokens").get_data(as_text=True)


def test_the_token_page_in_german(app: Flask, client, auth, make) -> None:
    page = made_token_page(app, client, auth, make, "de")
    assert "<h1>API-Tokens</h1>" in page
    assert "Ihr neues Token „deploy script“" in page
    assert "erstellt Mo., 7. Dez. 2026, 08:00 UTC" in page
    assert "nie genutzt" in page and "läuft nicht ab" in page
    assert 'data-copied="Kopiert. Bewahren Sie es sicher auf' in page
    assert "„deploy script“ widerrufen?" in page


def test_the_token_page_in_japanese(app: Flask, client, auth, make) -> None:
    page = made_token_page(app, client, auth, make, "ja")
    assert "<h1>APIトークン</h1>" in page
    assert "2026年12月7日(月) 8:00 UTC に作成" in page
    assert "未使用" in page and "無期限" in page


def test_the_api_reference_page_in_the_browsers_language(client) -> None:
    page = client.get("/api/docs", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "<h1>API-Referenz</h1>" in page and "/api/v1/openapi.json" in page
