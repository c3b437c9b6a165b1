"""Rate limits per token: RateLimit headers on every answer, 429 problem+json past the limit."""

from __future__ import annotations

from flask import Flask

from tests.api.conftest import new_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_answer_says_where_the_count_stands(app: Flask, client, make) -> None:
    app.config["API_RATE_LIMIT"] = "5 per hour"
    token = new_token(app, make.user())
    first = client.get("/api/v1/me", headers=bearer(token))
    assert first.headers["RateLimit-Policy"] == "5;w=3600"
    assert first.headers["RateLimit"].startswith("limit=5, remaining=4, reset=")
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 3600
    assert first.headers["RateLimit-Remaining"] == "4"
    second = client.get("/api/v1/me", headers=bearer(token))
    assert second.headers["RateLimit-Remaining"] == "3"


def test_past_the_limit_a_429_problem_with_retry_after(app: Flask, client, make) -> None:
    app.config["API_RATE_LIMIT"] = "2 per hour"
    token = new_token(app, make.user())
    for _ in range(2):
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert (
        response.json["status"] == 429 and "2 requests per 3600 seconds" in response.json["detail"]
    )
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert response.headers["RateLimit-Remaining"] == "0"


def test_each_token_has_its_own_count(app: Flask, client, make) -> None:
    app.config["API_RATE_LIMIT"] = "1 per hour"
    user = make.user()
    first, second = new_token(app, user, name="one"), new_token(app, user, name="two")
    assert client.get("/api/v1/me", headers=bearer(first)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(first)).status_code == 429
    # Same person, same address, another token: its own allowance.
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200


def test_pages_carry_no_api_rate_headers(client) -> None:
    assert "RateLimit-Policy" not in client.get("/login").headers


def test_an_unreachable_store_lets_requests_through_uncounted(
    app: Flask, client, make, monkeypatch
) -> None:
    from app.extensions import limiter

    def broken(*args: object) -> bool:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(limiter.limiter, "hit", broken)
    token = new_token(app, make.user())
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200 and "RateLimit" not in response.headers
