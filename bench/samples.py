"""Digests for a sample of people, prepared as a chunk would prepare them (for parts 2 and 3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.core.email.ledger import Claimed
from app.core.email.models import EmailKind
from app.digests.delivery import PreparedEmail, prepare_chunk

KINDS = (EmailKind.TASK_REMINDER, EmailKind.OVERDUE_ALERT, EmailKind.WEEKLY_SUMMARY)


def prepared_sample(session: Session, user_ids: list[int], now: datetime) -> list[PreparedEmail]:
    """Every digest the sample would get, with stand-in claims (nothing is written)."""
    ready: list[PreparedEmail] = []
    for kind in KINDS:
        claims = [Claimed(-uid, uid, "bench", None, 1) for uid in user_ids]
        found, _empty, _off = prepare_chunk(session, kind, claims, now)
        ready += found
    return ready
