"""What people and admins see of a bounce: the profile's notice and its confirm-again link, the
Outbox's marks and list, and the daily report's "Addresses that bounce"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.accounts import tokens
from app.accounts.models import User
from app.core.database import utcnow
from app.core.email.ledger import Claimed
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.email.send import new_message_id
from app.digests.content import report_digest
from app.digests.delivery import PreparedEmail
from app.digests.emails import compose
from app.digests.reports import compute_daily_report
from app.extensions import db

REASON = "550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown"


def stop_emailing(app, user_id: int, when: datetime | None = None) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        user.email_undeliverable_at = when or datetime(2026, 12, 7, 9, 14, tzinfo=UTC)
        user.email_undeliverable_reason = REASON
        user.email_soft_bounces = 2
        db.session.commit()


@pytest.fixture
def ana(make, app):
    ana = make.user(email="ana@example.com", name="Ana Souza", timezone="Europe/Lisbon")
    stop_emailing(app, ana)
    return ana


def test_the_profile_says_we_stopped_emailing_and_why(client, auth, ana):
    auth.login("ana@example.com")
    page = client.get("/profile").get_data(as_text=True)
    assert "We stopped emailing ana@example.com</strong> on Mon 07 Dec 2026" in page
    assert "the receiving server said “550 5.1.1 &lt;ana@example.com&gt;: Recipient" in page
    assert "Check the address, then confirm it to resume." in page
    assert 'action="/profile/address/confirm-again"' in page


def test_the_profile_of_a_working_address_shows_no_notice(client, auth, make):
    make.user(email="bob@example.com")
    auth.login("bob@example.com")
    assert "We stopped emailing" not in client.get("/profile").get_data(as_text=True)


@pytest.mark.worker
def test_the_confirm_again_email_goes_to_the_bounced_address_and_its_link_resumes(
    app, client, auth, celery_worker, smtp, make, ana
):
    auth.login("ana@example.com")
    response = client.post("/profile/address/confirm-again", follow_redirects=True)
    assert "We sent a confirmation link to ana@example.com" in response.get_data(as_text=True)
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ana@example.com"]
    assert message["Subject"] == "Confirm your address to get Tickler emails again"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/address/resume/\S+", text)
    assert link, text
    path = link.group(0).split("localhost", 1)[-1]
    # Opening it (a mail scanner would) changes nothing; the button does.
    assert "Resume emails to this address" in client.get(path).get_data(as_text=True)
    assert not make.get(User, ana).email_deliverable
    response = client.post(path, follow_redirects=True)
    assert "Thank you: ana@example.com works" in response.get_data(as_text=True)
    user = make.get(User, ana)
    assert user.email_deliverable and user.email_soft_bounces == 0
    assert user.email_undeliverable_reason is None
    assert "We stopped emailing" not in response.get_data(as_text=True)
    again = client.post(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_a_working_address_has_nothing_to_confirm(client, auth, make):
    make.user(email="bob@example.com")
    auth.login("bob@example.com")
    response = client.post("/profile/address/confirm-again", follow_redirects=True)
    assert "nothing to confirm" in response.get_data(as_text=True)


def test_confirming_a_new_address_clears_the_bounce(app, client, make, ana):
    with app.app_context():
        user = db.session.get(User, ana)
        link = "/verify-email/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user
        )
    assert client.post(link).status_code == 302
    assert make.get(User, ana).email_deliverable


def test_the_outbox_marks_and_lists_bounced_addresses(app, client, auth, make, ana):
    make.user(email="admin@example.com", is_admin=True)
    with app.app_context():
        db.session.add(
            Delivery(
                recipient_id=ana,
                kind=EmailKind.TASK_REMINDER,
                period="2026-12-07",
                status=DeliveryStatus.SKIPPED,
                reason={"skipped": "address undeliverable"},
            )
        )
        db.session.commit()
    auth.login("admin@example.com")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "<h2>Addresses that bounce</h2>" in page
    assert '<strong>Ana Souza</strong> <span class="muted">ana@example.com</span>' in page
    assert "Recipient address rejected" in page
    assert ">Address bounces</span>" in page
    assert "Not sent: address undeliverable." in page


def test_the_daily_report_tells_admins_which_addresses_bounce(app, make, ana):
    with app.app_context():
        report = compute_daily_report(db.session, utcnow(), "UTC")
        assert report["bouncing"] == [
            {
                "name": "Ana Souza",
                "email": "ana@example.com",
                "since": "2026-12-07",
                "reason": REASON,
            }
        ]
        admin = User(id=1, email="admin@example.org", name="Grace", timezone="UTC")
        claimed = Claimed(99, 1, "2026-12-07", new_message_id(), 0)
        with app.test_request_context():
            email = compose(PreparedEmail(claimed, admin, report_digest(report, "2026-12-07")))
    text = " ".join(email.content.text.split())
    assert "ADDRESSES THAT BOUNCE" in text
    assert f"- Ana Souza <ana@example.com>, since Mon 07 Dec 2026: {REASON}" in text
    assert re.search(r"<h2[^>]*>Addresses that bounce</h2>", email.content.html)
