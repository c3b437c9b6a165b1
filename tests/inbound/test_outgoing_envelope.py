"""send_batch gives each email its own SMTP envelope sender: a ledger row's bounce address
(VERP), the null sender "" of an answer to inbound mail, or else the sender's own address; the
real SMTP test server says what MAIL FROM it received."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.email.render import RenderedEmail
from app.core.email.send import SENT, OutgoingEmail, send_batch
from app.inbound.addresses import BOUNCE, bounce_address, parse_address
from app.inbound.outgoing import envelope_sender, reply_mailtos, task_reply_to

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
CONFIG = {"INBOUND_ADDRESS": "tickler@inbound.example.com", "SECRET_KEY": "s" * 40}


def email_to(key: int, address: str, envelope_from: str | None) -> OutgoingEmail:
    content = RenderedEmail(f"Note {key}", f"<p>Note {key}</p>", f"Note {key}\n")
    return OutgoingEmail(key, address, "Reader", content, envelope_from=envelope_from)


def test_each_email_of_a_batch_goes_with_its_own_envelope_sender(app, smtp):
    verp = bounce_address(CONFIG, 4242)
    batch = [
        email_to(1, "one@example.com", verp),
        email_to(2, "two@example.com", ""),
        email_to(3, "three@example.com", None),
    ]
    with app.app_context():
        results = send_batch(batch)
    assert [r.outcome for r in results] == [SENT] * 3
    received = {m.envelope_recipients[0]: m for m in smtp.wait_for(3)}
    assert received["one@example.com"].envelope_from == verp
    bounce = parse_address(CONFIG, received["one@example.com"].envelope_from)
    assert bounce is not None and bounce.kind == BOUNCE and bounce.delivery_id == 4242
    # The null reverse-path, MAIL FROM:<> (aiosmtpd keeps it as written): no bounce comes back.
    assert received["two@example.com"].envelope_from == "<>"
    assert received["three@example.com"].envelope_from == "tickler@localhost"
    # The envelope is not the header: From stays the sender's.
    assert all(m["From"] == "Tickler <tickler@localhost>" for m in received.values())


def test_the_bounce_address_names_its_row_only_with_inbound_mail_on():
    bounce = parse_address(CONFIG, envelope_sender(CONFIG, 77) or "")
    assert bounce is not None and bounce.signed and bounce.delivery_id == 77
    off = {"SECRET_KEY": "s" * 40, "INBOUND_ADDRESS": None}
    assert envelope_sender(off, 77) is None
    assert task_reply_to(off, 1, 2, NOW) is None
    assert reply_mailtos(off, 1, [(2, "Fix login")], NOW) == {}
