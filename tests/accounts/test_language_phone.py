"""German is long: the logged-out pages and the profile, in German and Japanese, still fit a
375 px phone (headless Debian Chromium, as tests/browser drives it)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app.accounts.models import User
from app.extensions import db

pytestmark = [pytest.mark.browser]
PHONE = 375
# Set to a folder to keep the screenshots, to look at.
SHOTS = os.environ.get("TICKLER_LAYOUT_SHOTS")


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    app.config["WTF_CSRF_ENABLED"] = True
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{served.server_port}"
    finally:
        served.shutdown()
        thread.join(10)
        app.config["WTF_CSRF_ENABLED"] = False


def fits_a_phone(page: Any, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{PHONE}.png"), full_page=True)
    assert width <= PHONE, f"{name} is {width} px wide on a {PHONE} px screen"


@pytest.mark.parametrize("language", ["de", "ja"])
def test_login_and_profile_fit_a_phone_in_long_languages(server, browser, app, make, language):
    me = make.user(email="ann.with-a-long-address@subdomain.example-company.com", name="Ann")
    with app.app_context():
        db.session.get(User, me).language = language
        db.session.commit()
    context = browser.new_context(
        viewport={"width": PHONE, "height": 740}, is_mobile=True, locale=language
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(server + "/register")
        fits_a_phone(page, f"register-{language}")
        page.goto(server + "/login")
        assert page.locator("html").get_attribute("lang") == language
        fits_a_phone(page, f"login-{language}")
        page.fill("#email", "ann.with-a-long-address@subdomain.example-company.com")
        page.fill("#password", "correct horse battery")
        page.locator("form button[type=submit]").click()
        page.goto(server + "/profile")
        fits_a_phone(page, f"profile-{language}")
        page.goto(server + "/no-such-page")
        fits_a_phone(page, f"error-{language}")
    finally:
        context.close()
