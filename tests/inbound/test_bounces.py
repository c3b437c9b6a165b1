"""Bounces tied to people: a VERP bounce finds its ledger row and recipient, a plain one finds
people by the failing address, a forged token finds nobody, soft bounces count to a limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.email.models import Delivery, EmailKind
from app.extensions import db
from app.inbound.addresses import addresses_of_ours, bounce_address
from app.inbound.bounces import handle_bounce
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome
from app.inbound.service import handle_inbound, parse_message
from tests.inbound.bounce_messages import dsn, fixture, original

INBOUND = "tickler@example.com"
MAILBOX_FULL = "smtp; 452 4.2.2 <ana@example.com>: Mailbox full, quota exceeded"


@pytest.fixture
def inbound(app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_ADDRESS", INBOUND)
    return app


@pytest.fixture
def ana(make):
    return make.user(email="ana@example.com", name="Ana")


def delivery_for(app, user_id: int) -> int:
    with app.app_context():
        row = Delivery(recipient_id=user_id, kind=EmailKind.TASK_REMINDER, period="2026-12-07")
        db.session.add(row)
        db.session.commit()
        return row.id


def bounce(app, raw: bytes, to: str = INBOUND) -> tuple[bool, InboundMessage]:
    """handle_bounce on `raw` sent to `to`, committed as the caller would."""
    with app.app_context():
        message = parse_message(raw)
        ours = addresses_of_ours(app.config, [to])
        row = InboundMessage(
            message_key=str(message["Message-ID"]),
            kind=InboundKind.UNKNOWN,
            outcome=InboundOutcome.IGNORED,
            detail="",
        )
        handled = handle_bounce(db.session, message, ours, row)
        db.session.add(row)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
        return handled, row


def test_a_verp_bounce_marks_its_deliverys_recipient_undeliverable(inbound, make, ana):
    delivery = delivery_for(inbound, ana)
    # The report names another address: the ledger row, not the report, says whose it was.
    handled, row = bounce(
        inbound, dsn("ana.old@example.com"), bounce_address(inbound.config, delivery)
    )
    assert handled
    assert (row.kind, row.outcome, row.delivery_id, row.user_id) == (
        InboundKind.BOUNCE,
        InboundOutcome.BOUNCE_RECORDED,
        delivery,
        ana,
    )
    assert "Stopped emailing ana@example.com" in row.detail
    user = make.get(User, ana)
    assert user.email_undeliverable_at is not None and not user.email_deliverable
    assert user.email_undeliverable_reason == (
        "550 5.1.1 <ana@example.com>: Recipient address rejected: "
        "User unknown in local recipient table"
    )


def test_a_forged_bounce_token_is_recorded_and_changes_nobody(inbound, make, ana):
    delivery = delivery_for(inbound, ana)
    real = bounce_address(inbound.config, delivery)
    forged = real.replace(real.split("-")[-1].split("@")[0], "a" * 16)
    handled, row = bounce(inbound, dsn(), forged)
    assert handled and row.kind == InboundKind.BOUNCE
    assert row.user_id is None and row.delivery_id is None
    assert "not ours" in row.detail
    assert make.get(User, ana).email_deliverable


def test_a_plain_bounce_finds_people_by_the_failing_address_whatever_its_case(inbound, make):
    dan = make.user(email="dan@example.org", name="Dan")
    handled, row = bounce(inbound, fixture("qmail_no_mailbox.eml"))
    assert handled and row.user_id == dan
    assert make.get(User, dan).email_undeliverable_reason == (
        "the receiving server refused the address"
    )


def test_an_exchange_ndr_for_an_unknown_address_matches_nobody(inbound, ana):
    handled, row = bounce(inbound, fixture("exchange_unknown_recipient.eml"))
    assert handled and row.user_id is None
    assert row.detail.endswith("it matches nobody in Tickler.")


def test_soft_bounces_count_until_the_limit_stops_the_address(inbound, make, ana, monkeypatch):
    monkeypatch.setitem(inbound.config, "INBOUND_SOFT_BOUNCE_LIMIT", 3)
    for count in (1, 2):
        handled, row = bounce(inbound, dsn(status="4.2.2", diagnostic=MAILBOX_FULL))
        assert handled and f"soft bounce {count} of 3" in row.detail
        user = make.get(User, ana)
        assert user.email_deliverable and user.email_soft_bounces == count
    bounce(inbound, dsn(status="4.2.2", diagnostic=MAILBOX_FULL))
    user = make.get(User, ana)
    assert not user.email_deliverable and user.email_soft_bounces == 3
    assert user.email_undeliverable_reason.startswith("mail kept bouncing: 452 4.2.2")


def test_a_delayed_report_changes_nothing(inbound, make, ana):
    handled, row = bounce(
        inbound, dsn(action="delayed", status="4.4.1", diagnostic="X-Postfix; timed out")
    )
    assert handled and "delayed" in row.detail and row.user_id is None
    user = make.get(User, ana)
    assert user.email_deliverable and user.email_soft_bounces == 0


def test_an_ordinary_message_is_no_bounce_and_is_left_alone(inbound, ana):
    handled, row = bounce(inbound, original(INBOUND).as_bytes())
    assert not handled
    assert (row.kind, row.outcome, row.detail) == (InboundKind.UNKNOWN, InboundOutcome.IGNORED, "")


def test_handle_inbound_records_a_bounce_once(inbound, make, ana):
    delivery = delivery_for(inbound, ana)
    raw = dsn()
    to = [bounce_address(inbound.config, delivery)]
    with inbound.app_context():
        first = handle_inbound(db.session, raw, "lmtp", to)
        again = handle_inbound(db.session, raw, "imap", to)
        row = db.session.scalar(select(InboundMessage))
        assert row is not None and row.delivery_id == delivery and row.user_id == ana
    assert (first.kind, first.outcome) == (InboundKind.BOUNCE, InboundOutcome.BOUNCE_RECORDED)
    assert again.duplicate
    assert not make.get(User, ana).email_deliverable


def test_a_bounce_naming_many_people_costs_two_statements(inbound, make, count_queries):
    with inbound.app_context():
        db.session.add_all(
            User(email=f"p{n}@example.org", name=f"P{n}", password_hash="x") for n in range(60)
        )
        db.session.commit()
    body = "Hi. This is the qmail-send program at mail.example.org.\nI'm afraid.\n\n" + "".join(
        f"<P{n}@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n" for n in range(60)
    )
    raw = (
        b"From: MAILER-DAEMON@mail.example.org\r\nTo: tickler@example.com\r\n"
        b"Subject: failure notice\r\nMessage-ID: <many@mail.example.org>\r\n\r\n"
        + body.replace("\n", "\r\n").encode()
    )
    with count_queries() as statements:
        handled, row = bounce(inbound, raw)
    assert handled
    # The people in one statement (then the ledger row and the updates, in one flush).
    people = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "users" in s]
    assert len(people) == 1, statements
    updates = [s for s in statements if s.lstrip().startswith("UPDATE users")]
    assert len(updates) == 1, "one executemany for the 60 people"

    with inbound.app_context():
        stopped = db.session.scalar(
            select(db.func.count(User.id)).where(User.email_undeliverable_at.is_not(None))
        )
    assert stopped == 60
