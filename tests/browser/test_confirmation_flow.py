"""The emailed confirmation link on a phone: a page with a button, a login once pressed, and
"already confirmed" with a log-in button on every visit after."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.accounts import tokens
from app.accounts.models import User
from app.extensions import db

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PHONE = 375
# Set to a folder to keep the screenshots, to look at.
SHOTS = os.environ.get("TICKLER_LAYOUT_SHOTS")


def fits_a_phone(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{name} is {width} px wide on a {PHONE} px screen"
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{PHONE}.png"), full_page=True)


def test_the_confirmation_link_needs_the_button_and_then_says_already_confirmed(
    live_server, browser, app, make
):
    ann = make.user(email="ann.with-a-long-address@subdomain.example-company.com", name="Ann")
    with app.app_context():
        user = db.session.get(User, ann)
        link = "/verify-email/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user
        )
    context = browser.new_context(viewport={"width": PHONE, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server + link)
        assert "Confirm your address" in page.content()
        fits_a_phone(page, "confirm_email")
        assert make.get(User, ann).email_verified_at is None, "opening it changed nothing"
        page.click("button:has-text('Confirm my address and log in')")
        page.wait_for_url("**/projects/new")
        assert make.get(User, ann).email_verified_at is not None

        page.goto(live_server + link)
        assert "Your address is already confirmed" in page.content()
        fits_a_phone(page, "already_confirmed")
        page.click("a:has-text('Log in')")
        page.wait_for_url("**/")  # logged in already, so the log-in page sends on
    finally:
        context.close()
