"""API tokens in Chromium: made on the profile, copied, used by a script, gone on reload,
revoked; and the API reference at /api/docs drawn by the vendored Swagger UI under our CSP."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

pytestmark = [pytest.mark.browser]

PASSWORD = "a good long password"
SHOTS = os.environ.get("TICKLER_LAYOUT_SHOTS")


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app over real HTTP with CSRF on; nothing here queues a job, so no worker."""
    app.config["WTF_CSRF_ENABLED"] = True
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(10)
        app.config["WTF_CSRF_ENABLED"] = False


def me_status(server: str, secret: str) -> int:
    request = urllib.request.Request(
        f"{server}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["email"] == "ann@example.com"
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def new_page(browser: Any, width: int) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, timezone_id="Europe/Berlin", locale="en-GB"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_a_token_made_in_the_browser_works_once_shown_and_until_revoked(
    server: str, browser: Any, make: Any, width: int
) -> None:
    make.user(email="ann@example.com", password=PASSWORD, timezone="Europe/Berlin")
    page = new_page(browser, width)
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{server}/")

    page.goto(f"{server}/profile")
    page.click("#api-tokens a.button")
    page.fill("input[name=name]", "deploy script")
    page.check("input[name=scopes][value=write]")
    page.click("button:has-text('Make token')")
    page.wait_for_selector("#token-secret")
    assert "you will not see it again" in page.inner_text("#new-token")
    page.click("button[data-copy=token-secret]")
    page.wait_for_selector("[data-copy-status]:has-text('Copied')")
    secret = page.evaluate("navigator.clipboard.readText()")
    assert secret.startswith("tkl_") and secret == page.input_value("#token-secret")
    shoot(page, f"api_tokens-new-{width}")
    assert me_status(server, secret) == 200

    page.reload()
    assert page.locator("#token-secret").count() == 0
    assert "deploy script" in page.inner_text("#tokens")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#tokens button:has-text('Revoke')")
    page.wait_for_selector("#tokens .badge:has-text('Revoked')")
    shoot(page, f"api_tokens-revoked-{width}")
    assert me_status(server, secret) == 401
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_reference_renders_under_the_csp(server: str, browser: Any, width: int) -> None:
    page = new_page(browser, width)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{server}/api/docs")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    operation = page.locator(".opblock-summary-path[data-path='/api/v1/me']")
    operation.wait_for()
    operation.click()
    page.wait_for_selector(".opblock-get.is-open")
    shoot(page, f"api_docs-{width}")
    assert problems == []
    page.context.close()
