"""A reply to a task email: its signed address names the person and the task; checked, it
becomes that person's comment (or completes the task, if they chose "done" to)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import func, select

from app.accounts.models import User
from app.comments.models import COMMENT_MAX_LENGTH
from app.comments.service import add_comment
from app.core.database import DbSession
from app.core.email.render import absolute_url
from app.inbound.addresses import InboundAddress
from app.inbound.bodies import is_done, reply_text
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome
from app.inbound.refusals import Reason, Refusal
from app.projects.service import membership
from app.tasklist.models import Task, TaskStatus
from app.tasklist.service import set_status


def is_tickler_account(session: DbSession, address: str) -> bool:
    """Whether `address` is an active account's: only then may a refusal be answered without
    a signed token (anyone can forge a From; an answer to it would be backscatter)."""
    found = session.scalar(
        select(User.id).where(func.lower(User.email) == address.lower(), User.is_active)
    )
    return found is not None


def handle_reply(
    session: DbSession,
    message: EmailMessage,
    address: InboundAddress,
    row: InboundMessage,
    *,
    token_days: int,
    now: datetime,
) -> Refusal | None:
    """Check the reply and act on it (a comment, or the task completed); the refusal when it
    must write nothing. Sets the row's kind, outcome and ids."""
    row.kind = InboundKind.REPLY
    if not address.signed or address.user_id is None or address.task_id is None:
        return Refusal(Reason.TAMPERED, answer=is_tickler_account(session, row.sender))
    assert address.issued is not None
    task = session.get(Task, address.task_id)
    task_link = absolute_url("tasks.detail", task_id=task.id) if task is not None else ""
    if address.issued < (now - timedelta(days=token_days)).date():
        return Refusal(Reason.EXPIRED, answer=True, link=task_link)
    user = session.get(User, address.user_id)
    if user is None or not user.is_active:
        return Refusal(Reason.NO_ACCOUNT, answer=True)
    if user.email.lower() != row.sender:
        return Refusal(Reason.WRONG_SENDER, answer=True, link=task_link)
    if task is None or task.is_deleted:
        trash = absolute_url("trash.index", project_id=task.project_id) if task else ""
        return Refusal(Reason.TASK_GONE, answer=True, link=trash)
    if membership(session, task.project_id, user.id) is None:
        return Refusal(Reason.NOT_A_MEMBER, answer=True)
    reply = reply_text(message)[:COMMENT_MAX_LENGTH]
    if not reply:
        return Refusal(Reason.EMPTY, answer=True, link=task_link)
    row.user_id, row.task_id = user.id, task.id
    if user.reply_done_completes and is_done(reply):
        set_status(session, task, TaskStatus.COMPLETED, now, actor_id=user.id)
        row.outcome = InboundOutcome.COMPLETED
        row.detail = f"{user.email} completed task {task.id} by replying “{reply}”."
        return None
    comment = add_comment(session, task, user, reply)
    row.comment_id = comment.id
    row.outcome = InboundOutcome.COMMENTED
    row.detail = f"A comment by {user.email} on task {task.id}."
    return None
