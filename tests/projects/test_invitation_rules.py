"""The pure rules of invitations: state, stored token, who may accept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.projects.invitation_rules import (
    InvitationFacts,
    InvitationState,
    acceptance_problem,
    state_of,
    token_digest,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENT = token_digest("t")


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (InvitationFacts(None, None, None, None), InvitationState.UNSENT),
        (InvitationFacts(SENT, NOW + timedelta(seconds=1), None, None), InvitationState.PENDING),
        (InvitationFacts(SENT, NOW, None, None), InvitationState.EXPIRED),
        (InvitationFacts(SENT, NOW + timedelta(days=1), NOW, None), InvitationState.ACCEPTED),
        (InvitationFacts(SENT, NOW + timedelta(days=1), None, NOW), InvitationState.REVOKED),
        # Accepted wins over a later expiry: the link then says it was used, not that it lapsed.
        (InvitationFacts(SENT, NOW - timedelta(days=1), NOW, None), InvitationState.ACCEPTED),
    ],
)
def test_state_of_an_invitation(facts, expected):
    assert state_of(facts, NOW) == expected


def test_the_stored_digest_is_not_the_token_and_is_the_same_each_time():
    assert token_digest("abc") == token_digest("abc") != "abc"
    assert token_digest("abc") != token_digest("abd")
    assert len(token_digest("abc")) == 64


def test_only_the_confirmed_owner_of_the_invited_address_may_accept():
    assert (
        acceptance_problem(
            invited="ann@example.com", account_email="Ann@Example.com", account_confirmed=True
        )
        is None
    )
    other = acceptance_problem(
        invited="ann@example.com", account_email="bob@example.com", account_confirmed=True
    )
    assert other and "sent to ann@example.com" in other and "log in" in other
    unconfirmed = acceptance_problem(
        invited="ann@example.com", account_email="ann@example.com", account_confirmed=False
    )
    assert unconfirmed and unconfirmed.startswith("Confirm ann@example.com first")
