"""`/login?next=` only ever sends a browser to a page of this site, however the URL is disguised."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from app.core.web.safety import is_local_redirect
from app.extensions import limiter
from tests.conftest import DEFAULT_PASSWORD

SITE = "https://tickler.test/login"

HOSTILE = [
    "//evil.test",
    "\\/evil.test",
    "/\\evil.test",
    "\\\\evil.test",
    "http:/\\/evil.test",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.test/",
    "///evil.test",
    "/\t/evil.test",
    "/\n/evil.test",
    "/\r\n/evil.test",
    "\t//evil.test",
    " //evil.test",
    "\x00//evil.test",
    "%2F%2Fevil.test",
    "evil.test",
    "",
]
LOCAL = ["/", "/projects/", "/task/7?tab=comments#c1", "/%2F%2Fevil.test", "/.//evil.test"]
# As they arrive in a query string, percent-encoded (Flask decodes them once).
ENCODED_HOSTILE = [
    "next=%2F%2Fevil.test",
    "next=%5C%2Fevil.test",
    "next=%2F%5Cevil.test",
    "next=%2F%09%2Fevil.test",
    "next=%2F%0A%2Fevil.test",
    "next=%252F%252Fevil.test",
    "next=javascript%3Aalert(1)",
]


def where_a_browser_goes(location: str) -> tuple[str, str]:
    """(scheme, host) a browser lands on for this Location, by the WHATWG URL rules that
    matter here: outer spaces and controls dropped, tabs and newlines removed anywhere, and
    backslashes read as slashes in http(s) URLs."""
    cleaned = location.strip("".join(map(chr, range(0x21))))
    cleaned = "".join(char for char in cleaned if char not in "\t\r\n").replace("\\", "/")
    target = urlsplit(urljoin(SITE, cleaned))
    return target.scheme.lower(), target.netloc


@pytest.mark.parametrize("target", HOSTILE + LOCAL)
def test_the_guard_accepts_only_what_a_browser_keeps_on_this_site(target):
    stays = where_a_browser_goes(target) == ("https", "tickler.test")
    if is_local_redirect(target):
        assert stays, f"{target!r} is accepted but leaves the site"
    if target in LOCAL:
        assert is_local_redirect(target)


def log_in(client, query_string):
    with client.application.app_context():
        limiter.reset()  # dozens of logins in a row: this test is not about the limit
    return client.post(
        "/login",
        query_string=query_string,
        data={"email": "ann@example.com", "password": DEFAULT_PASSWORD},
    )


def test_login_ignores_every_hostile_next_and_follows_local_ones(app, make):
    make.user(email="ann@example.com")
    for target in HOSTILE:
        client = app.test_client()
        response = log_in(client, {"next": target})
        assert response.status_code == 302 and response.location == "/", repr(target)
    for raw in ENCODED_HOSTILE:
        response = log_in(app.test_client(), raw)
        assert response.location == "/", raw
    for target in LOCAL:
        response = log_in(app.test_client(), {"next": target})
        assert response.location == target
        assert where_a_browser_goes(response.location) == ("https", "tickler.test")
