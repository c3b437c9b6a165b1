"""No robot conversation: an auto-responder answering every email Tickler sends, its answers
fed back in for several rounds, never gets an answer to an answer."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.inbound.conftest import handle, plain, reply_to


def auto_response(received: EmailMessage, marked: bool) -> bytes:
    """What a vacation responder sends back to `received`, to its From / Reply-To."""
    answer = EmailMessage()
    answer["From"] = received["To"]
    answer["To"] = received["Reply-To"] or received["From"]
    answer["Subject"] = f"Out of Office: {received['Subject']}" if marked else received["Subject"]
    answer["Message-ID"] = make_msgid(domain="mail.example.org")
    answer["In-Reply-To"] = received["Message-ID"]
    if marked:
        answer["Auto-Submitted"] = "auto-replied"
    answer.set_content("I am away until Monday.")
    return answer.as_bytes()


@pytest.mark.parametrize("marked", [False, True], ids=["unmarked", "auto-submitted"])
def test_an_auto_responder_gets_no_answer_to_its_answers(inbound_app, team, answers, smtp, marked):
    to = reply_to(inbound_app, team["ann"], team["task"])
    handle(inbound_app, plain("eve@example.org", to, "Hi, a forwarded email"))
    sent_total = 0
    for _ in range(5):
        sent = answers.send_all()
        sent_total += sent
        received = list(smtp.messages)
        smtp.handler.reset()
        for message in received:
            raw = auto_response(message, marked)
            # The responder answers to the address Tickler's email came from, and to ours.
            handle(inbound_app, raw, envelope=(to,))
        if not sent and not received:
            break
    assert sent_total == 1
    assert answers.queued == []
