"""Reading bounces without a database: RFC 3464 reports by their fields, other shapes through
flufl.bounce, hard against soft, and what a bounce does to an address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.inbound.bounce_rules import (
    AddressState,
    Failure,
    Severity,
    after_bounce,
    read_bounce,
    severity_of,
    short_reason,
    worst,
)
from app.inbound.service import parse_message
from tests.inbound.bounce_messages import dsn, fixture, original

NOW = datetime(2026, 12, 7, 9, 15, tzinfo=UTC)
MAILBOX_FULL = "smtp; 452 4.2.2 <ana@example.com>: Mailbox full, quota exceeded"


def read(raw: bytes, addressed_to_bounce: bool = False) -> list[Failure] | None:
    return read_bounce(parse_message(raw), addressed_to_bounce)


def test_a_postfix_user_unknown_report_is_a_hard_bounce_with_the_servers_words() -> None:
    [failure] = read(dsn()) or []
    assert (failure.address, failure.severity, failure.status) == (
        "ana@example.com",
        Severity.HARD,
        "5.1.1",
    )
    assert short_reason(failure) == (
        "550 5.1.1 <ana@example.com>: Recipient address rejected: "
        "User unknown in local recipient table"
    )


def test_a_full_mailbox_is_a_soft_bounce() -> None:
    [failure] = read(dsn(status="4.2.2", diagnostic=MAILBOX_FULL)) or []
    assert failure.severity == Severity.SOFT
    assert short_reason(failure) == "452 4.2.2 <ana@example.com>: Mailbox full, quota exceeded"


def test_a_delayed_report_is_a_bounce_but_no_failure() -> None:
    failures = read(
        dsn(action="delayed", status="4.4.1", diagnostic="X-Postfix; connection timed out")
    )
    assert failures is not None and [f.severity for f in failures] == [Severity.DELAYED]
    assert worst(failures) is None


def test_a_qmail_bounce_is_recognised_by_flufl() -> None:
    failures = read(fixture("qmail_no_mailbox.eml"))
    assert failures == [Failure("dan@example.org", Severity.HARD)]


def test_an_exchange_ndr_is_recognised_by_flufl() -> None:
    failures = read(fixture("exchange_unknown_recipient.eml"))
    assert failures == [Failure("erin.walsh@corp.example.com", Severity.HARD)]


def test_a_person_quoting_a_bounce_in_a_reply_is_no_bounce() -> None:
    reply = original("tickler@example.com")
    reply.replace_header("From", "Ana <ana@example.com>")
    reply.set_content(fixture("qmail_no_mailbox.eml").decode().split("\n\n", 1)[1])
    assert read(reply.as_bytes()) is None
    assert read(original("tickler@example.com").as_bytes()) is None


def test_anything_sent_to_a_bounce_address_is_a_bounce_even_unrecognised() -> None:
    assert read(original("tickler+b-1-x@example.com").as_bytes(), addressed_to_bounce=True) == []


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    [
        ("failed", "5.1.1", Severity.HARD),
        ("failed", "4.2.2", Severity.SOFT),
        ("delayed", "4.4.7", Severity.DELAYED),
        ("Failed", "", Severity.HARD),
        ("delivered", "2.0.0", None),
        ("relayed", "2.0.0", None),
    ],
)
def test_severity_follows_action_and_status_class(
    action: str, status: str, expected: Severity | None
) -> None:
    assert severity_of(action, status) == expected


def test_one_hard_bounce_stops_the_address() -> None:
    hard = Failure("ana@example.com", Severity.HARD, "5.1.1", "smtp; 550 5.1.1 user unknown")
    after = after_bounce(AddressState(None, None, 2), hard, NOW, limit=5)
    assert after == AddressState(NOW, "550 5.1.1 user unknown", 2)


def test_soft_bounces_stop_the_address_at_the_limit() -> None:
    soft = Failure("ana@example.com", Severity.SOFT, "4.2.2", MAILBOX_FULL)
    state = AddressState(None, None, 0)
    for _ in range(2):
        state = after_bounce(state, soft, NOW, limit=3)
    assert state == AddressState(None, None, 2)
    state = after_bounce(state, soft, NOW, limit=3)
    assert state.undeliverable_at == NOW and state.soft_bounces == 3
    assert state.reason == (
        "mail kept bouncing: 452 4.2.2 <ana@example.com>: Mailbox full, quota exceeded"
    )


def test_a_stopped_address_keeps_its_first_date_and_reason() -> None:
    first = AddressState(datetime(2026, 12, 1, tzinfo=UTC), "550 user unknown", 0)
    hard = Failure("ana@example.com", Severity.HARD, "5.1.1", "smtp; 550 5.1.1 gone")
    assert after_bounce(first, hard, NOW, limit=5) == first


def test_a_long_diagnostic_is_cut_to_the_column() -> None:
    long = Failure("a@example.com", Severity.HARD, "5.0.0", "smtp; 550 " + "x" * 400)
    assert len(short_reason(long)) == 255
    assert short_reason(Failure("a@example.com", Severity.HARD)) == (
        "the receiving server refused the address"
    )
