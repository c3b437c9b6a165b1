"""Answers to refused mail: owed only where they cannot be backscatter, limited per address,
queued after commit, and written so no mail system answers them back (RFC 3834)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import limits
from flask_babel import gettext
from sqlalchemy import func, select

from app.core.database import DbSession
from app.core.email.render import render_email
from app.core.email.send import OutgoingEmail, sender_domain
from app.core.i18n import in_language
from app.core.queueing import after_commit
from app.inbound.models import AnswerStatus, InboundMessage
from app.inbound.refusals import WORDS, Reason, Refusal, english

ANSWERED = (AnswerStatus.SENT, AnswerStatus.PENDING)


def window(rate: str) -> tuple[int, timedelta]:
    """A `limits` rate ("3 per hour") as an amount and a window."""
    item = limits.parse(rate)
    return item.amount, timedelta(seconds=item.get_expiry())


def answers_recently(session: DbSession, address: str, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count(InboundMessage.id)).where(
                InboundMessage.sender == address,
                InboundMessage.answer_status.in_(ANSWERED),
                InboundMessage.received_at >= since,
            )
        )
        or 0
    )


def owe_answer(
    session: DbSession, row: InboundMessage, refusal: Refusal, rate: str, now: datetime
) -> None:
    """Record on `row` whether an answer goes out, and queue it to go after the commit."""
    if not refusal.answer or not row.sender:
        return
    amount, span = window(rate)
    if answers_recently(session, row.sender, now - span) >= amount:
        row.answer_status = AnswerStatus.SUPPRESSED
        return
    from app.inbound.answer_jobs import send_inbound_answer  # the job module imports this one

    row.answer_status = AnswerStatus.PENDING
    session.flush()
    row.answer_message_id = answer_message_id(row.id)
    after_commit(session, send_inbound_answer, row.id, refusal.reason.value, refusal.link)


def answer_message_id(inbound_id: int) -> str:
    """The answer's Message-ID, recognisable when a mail system answers it back (noise.py)."""
    return f"<tickler.answer.{inbound_id}.{secrets.token_hex(4)}@{sender_domain()}>"


def reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()


def compose_answer(
    row: InboundMessage, reason: Reason, link: str, language: str | None = None
) -> OutgoingEmail:
    """The polite answer to a refused message, from the null sender (nothing bounces back to
    an answer) and marked auto-replied (no out-of-office answers it). Written in `language`
    (the sender's, when they have an account; else English)."""
    original = row.message_key if row.message_key.startswith("<") else ""
    with in_language(language):
        # The reason's words in the reader's language (the ledger's detail is English); a
        # refusal with words of its own (never answered today) keeps them.
        custom = row.detail if row.detail != english(WORDS[reason][0]) else ""
        refusal = Refusal(reason, answer=True, link=link, detail=custom)
        subject = (
            reply_subject(row.subject) if row.subject else gettext("Re: your email to Tickler")
        )
        content = render_email(
            "inbound_refused",
            subject,
            gettext("Tickler did not use your email: %(why)s", why=refusal.why),
            why=refusal.why,
            instead=refusal.instead,
            link=link,
            original_subject=row.subject,
        )
    headers = {"In-Reply-To": original, "References": original} if original else {}
    return OutgoingEmail(
        key=row.id,
        to_address=row.sender,
        to_name="",
        content=content,
        message_id=row.answer_message_id,
        headers=headers,
        envelope_from="",
        auto_submitted="auto-replied",
    )
