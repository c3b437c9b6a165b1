"""The job that sends the answer to a refused message, after the refusal was committed."""

from __future__ import annotations

from celery import Task
from sqlalchemy import func, select

from app import task_catalog as catalog
from app.accounts.models import User
from app.core.email.job_sending import email_job, send_one
from app.core.email.send import SENT
from app.extensions import db
from app.inbound.answers import compose_answer
from app.inbound.models import AnswerStatus, InboundMessage
from app.inbound.refusals import Reason


def sender_language(address: str) -> str | None:
    """The language of the account `address` belongs to; None (English) for a stranger."""
    if not address:
        return None
    return db.session.scalar(
        select(User.language).where(func.lower(User.email) == address.lower()).limit(1)
    )


@email_job(catalog.SEND_INBOUND_ANSWER.name)
def send_inbound_answer(self: Task, inbound_id: int, reason: str, link: str = "") -> dict:
    """Email the sender of refused message `inbound_id` why, and record that it went."""
    row = db.session.get(InboundMessage, inbound_id)
    if row is None or row.answer_status != AnswerStatus.PENDING:
        return {"sent": False, "reason": "no answer owed"}
    result = send_one(self, compose_answer(row, Reason(reason), link, sender_language(row.sender)))
    row.answer_status = AnswerStatus.SENT if result.outcome == SENT else AnswerStatus.FAILED
    db.session.commit()
    return {"sent": result.outcome == SENT, "error": result.error}
