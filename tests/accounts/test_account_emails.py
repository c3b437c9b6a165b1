"""The confirmation link that a mail scanner cannot use up, and the password-changed notice."""

from __future__ import annotations

import time

import pytest

from app.accounts import tokens
from app.accounts.models import User
from app.extensions import db
from tests.accounts.test_account_pages import link_in
from tests.conftest import wait_for_earlier_jobs
from tests.security.snapshots import changed_tables, database_fingerprint

PASSWORD_CHANGE = {
    "password-current_password": "correct horse battery",
    "password-new_password": "brand new secret",
    "password-confirm": "brand new secret",
    "password-submit": "1",
}


def confirmation_link(app, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        return "/verify-email/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user
        )


def test_opening_the_confirmation_link_shows_a_button_and_changes_nothing(app, client, make):
    ann = make.user(email="ann@example.com", name="Ann")
    link = confirmation_link(app, ann)
    wait_for_earlier_jobs(app)  # no earlier test's job writes (task_runs) while we compare
    before = database_fingerprint(app)
    for _ in range(3):  # a scanner, a preview, the person: none of them uses it up
        page = client.get(link)
        assert page.status_code == 200
        assert b"Confirm my address and log in" in page.data
        assert f'action="{link}"'.encode() in page.data and b'method="post"' in page.data
    assert changed_tables(before, database_fingerprint(app)) == []
    assert make.get(User, ann).email_verified_at is None
    assert client.get("/").status_code == 302, "opening the link does not log in"


def test_the_button_confirms_and_a_second_visit_says_already_confirmed(app, client, make):
    ann = make.user(email="ann@example.com", name="Ann")
    link = confirmation_link(app, ann)
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert make.get(User, ann).email_verified_at is not None
    assert client.get("/").status_code == 200, "the button logs in"

    later = app.test_client()  # another browser, not logged in
    again = later.get(link)
    assert again.status_code == 200
    assert b"already confirmed" in again.data
    assert b'href="/login?email=ann@example.com"' in again.data and b">Log in</a>" in again.data
    wait_for_earlier_jobs(app)  # no earlier test's job writes (task_runs) while we compare
    before = database_fingerprint(app)
    assert b"already confirmed" in later.post(link).data
    assert changed_tables(before, database_fingerprint(app)) == []
    assert later.get("/").status_code == 302, "a used link does not log in again"


def test_a_confirmation_link_for_an_older_address_is_not_already_confirmed(app, client, make):
    ann = make.user(email="ann@example.com")
    link = confirmation_link(app, ann)
    with app.app_context():
        user = db.session.get(User, ann)
        user.email = "ann.new@example.com"
        user.email_verified_at = db.func.now()
        db.session.commit()
    page = client.get(link)
    assert page.status_code == 400 and b"already been used" in page.data


def message_to(smtp, subject: str, count: int) -> list:
    smtp.wait_for(count)
    return [m for m in smtp.messages if m["Subject"] == subject]


@pytest.mark.worker
def test_changing_the_password_emails_the_owner_once_with_what_to_do_if_not_them(
    client, make, auth, smtp, celery_worker
):
    make.user(email="ann@example.com", name="Ann")
    auth.login("ann@example.com")
    assert client.post("/profile", data=PASSWORD_CHANGE).status_code == 302
    [message] = message_to(smtp, "Your Tickler password was changed", 1)
    assert message.envelope_recipients == ["ann@example.com"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hi Ann" in text and "If it was not you" in text
    assert "http://localhost/forgot-password" in text
    assert 'class="button"' in html and 'href="http://localhost/forgot-password"' in html
    assert "word-break:break-all" in html.replace(" ", "")
    time.sleep(0.5)  # anything sent twice would have arrived by now
    assert len(smtp.messages) == 1, "one notice for one change"


@pytest.mark.worker
def test_a_wrong_current_password_changes_nothing_and_sends_nothing(
    client, make, auth, smtp, celery_worker
):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    refused = client.post("/profile", data={**PASSWORD_CHANGE, "password-current_password": "no"})
    assert refused.status_code == 200
    time.sleep(0.5)
    assert smtp.messages == []


@pytest.mark.worker
def test_a_reset_by_the_emailed_link_also_sends_the_password_changed_notice(
    client, make, smtp, celery_worker
):
    make.user(email="ann@example.com", name="Ann")
    client.post("/forgot-password", data={"email": "ann@example.com"})
    [reset] = smtp.wait_for(1)
    link = link_in(reset, "reset-password")
    client.post(link, data={"new_password": "a brand new secret", "confirm": "a brand new secret"})
    [notice] = message_to(smtp, "Your Tickler password was changed", 2)
    assert notice.envelope_recipients == ["ann@example.com"]
    assert "/forgot-password" in notice.get_body(("plain",)).get_content()
