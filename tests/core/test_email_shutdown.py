"""A termination signal during a send waits for the next email boundary."""

from __future__ import annotations

import os
import signal

import pytest

from app.core.email.shutdown import termination_deferred


@pytest.fixture
def heard() -> list[int]:
    calls: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: calls.append(signum))
    yield calls
    signal.signal(signal.SIGTERM, previous)


def test_a_sigterm_mid_send_is_held_until_the_checkpoint(heard):
    with termination_deferred() as termination:
        os.kill(os.getpid(), signal.SIGTERM)
        assert heard == []  # the email on the wire finishes first
        termination.checkpoint()
        assert heard == [signal.SIGTERM]
    assert heard == [signal.SIGTERM]  # acted on once, not again at the end


def test_a_sigterm_during_the_last_email_is_acted_on_when_the_batch_ends(heard):
    with termination_deferred():
        os.kill(os.getpid(), signal.SIGTERM)
    assert heard == [signal.SIGTERM]
    os.kill(os.getpid(), signal.SIGTERM)  # the handler is back in place
    assert heard == [signal.SIGTERM, signal.SIGTERM]
