"""Every response carries the security headers, whatever the route and whoever asks."""

from __future__ import annotations

import pytest
from flask import Flask

from app.core.web.security_headers import add_security_headers

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def get_routes(app: Flask) -> list[str]:
    """Every GET route, with 1 for each id in its path."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {name: 1 if "id" in name else "x" for name in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(urls))


def test_every_get_route_answers_with_the_headers_logged_in_or_not(app, client, make, auth):
    make.user(email="ada@example.com", is_admin=True)
    urls = get_routes(app)
    assert len(urls) > 30, "the table covers the whole app"
    for logged_in in (False, True):
        if logged_in:
            auth.login("ada@example.com")
        for url in urls:
            response = client.get(url)
            for header, value in EXPECTED.items():
                assert response.headers.get(header) == value, (url, header)
            policy = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, url
            assert "Strict-Transport-Security" not in response.headers, "only in production"


def test_production_adds_hsts_and_only_the_dev_mailbox_allows_inline_styles():
    app = Flask(__name__)
    with app.test_request_context("/tasks"):
        headers = add_security_headers(app.response_class("x"), production=True).headers
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    with app.test_request_context("/dev/mail/1"):
        headers = add_security_headers(app.response_class("x"), production=False).headers
        assert "style-src 'self' 'unsafe-inline'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/static/app.js", "/login", "/no-such-page"])
def test_static_and_plain_answers_too(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY", path
