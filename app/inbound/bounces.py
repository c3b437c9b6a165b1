"""Bounces: delivery status notifications recognised, tied to their ledger row, and an
address that keeps bouncing marked undeliverable. (Filled in by the bounces work.)"""

from __future__ import annotations

from email.message import EmailMessage

from app.core.database import DbSession
from app.inbound.addresses import InboundAddress
from app.inbound.models import InboundMessage


def handle_bounce(
    session: DbSession, message: EmailMessage, ours: list[InboundAddress], row: InboundMessage
) -> bool:
    """If `message` is a bounce, record it on `row` (kind, outcome, detail, delivery) and on
    the person, and say True; else False and touch nothing."""
    return False
