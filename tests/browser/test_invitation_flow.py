"""An owner invites two addresses from the members page; the worker emails both; one, who has an
account, logs in from the email's link and accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import ProjectMember
from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
SENT = "We've emailed an invitation to {}. They join the project when they accept it."


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base_url}/")


def invite(page, email: str) -> None:
    page.fill("input[name=email]", email)
    page.click("button:has-text('Add member')")
    page.wait_for_selector(f"text={SENT.format(email)}")


def shoot(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_invites_and_an_existing_account_accepts_from_the_email(
    live_server, browser, page, app, make, smtp
):
    owner = make.user(email="olga@example.com", name="Olga Owner")
    sam = make.user(email="sam@example.com", name="Sam Stranger")
    with app.app_context():
        db.session.get(User, sam).email_verified_at = utcnow()
        db.session.commit()
    project = make.project(owner, name="Garden makeover")

    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "olga@example.com")
    page.goto(f"{live_server}/projects/{project}/members")
    invite(page, "sam@example.com")
    invite(page, "newcomer@example.com")
    listed = page.locator(".invitation-list li")
    assert listed.count() == 2
    assert "invited by Olga Owner" in listed.first.inner_text()
    shoot(page, "invitation-members")

    messages = sorted(smtp.wait_for(2), key=lambda message: message["To"])
    for message in messages:
        assert message["Subject"] == "Olga Owner invited you to Garden makeover on Tickler"
        assert message["From"].startswith("Olga Owner via Tickler <"), "From names the inviter"
    # The text part is wrapped at 78 columns: phrases are read with line breaks as spaces.
    new_text = " ".join(messages[0].get_body(("plain",)).get_content().split())
    sam_text = " ".join(messages[1].get_body(("plain",)).get_content().split())
    assert messages[0]["To"].endswith("newcomer@example.com")
    assert "create a free account with this address" in new_text
    assert "You already have a Tickler account at sam@example.com: log in" in sam_text
    email_page = browser.new_page()
    email_page.set_content(messages[1].get_body(("html",)).get_content())
    for width in (1280, 390):
        email_page.set_viewport_size({"width": width, "height": 700})
        email_page.screenshot(path=str(ARTIFACTS / f"invitation-email-{width}.png"), full_page=True)
    email_page.close()

    link = re.search(r"https?://\S+(/invitations/\S+)", sam_text)
    assert link, "the email has an Accept link"
    guest = browser.new_context(timezone_id="Europe/Berlin", locale="en-GB").new_page()
    guest.goto(live_server + link.group(1))
    assert "Olga Owner invited sam@example.com" in guest.inner_text("main")
    shoot(guest, "invitation-accept-logged-out")
    guest.click("text=Log in to accept")
    assert guest.input_value("input[name=email]") == "sam@example.com"
    guest.fill("input[name=password]", DEFAULT_PASSWORD)
    guest.click("button:has-text('Log in')")
    guest.wait_for_url(live_server + link.group(1))
    shoot(guest, "invitation-accept")
    with app.app_context():
        assert db.session.scalar(select(ProjectMember).where(ProjectMember.user_id == sam)) is None
    guest.click("button:has-text('Accept and join Garden makeover')")
    guest.wait_for_url(f"**/projects/{project}/tasks")
    assert "Welcome to Garden makeover!" in guest.content()

    page.goto(f"{live_server}/projects/{project}/members")
    assert "Sam Stranger" in page.inner_text(".member-list")
    assert page.locator(".invitation-list li").count() == 1
    guest.context.close()
