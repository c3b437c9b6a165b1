"""Account emails, sent by the worker so a slow mail server never slows a page."""

from __future__ import annotations

from celery import Task, shared_task

from app.email.account import compose_account_email
from app.email.send import SENT
from app.extensions import db
from app.models import User
from app.tasks.notifications import send_one


@shared_task(
    bind=True,
    name="app.tasks.accounts.send_account_email",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def send_account_email(self: Task, purpose: str, user_id: int) -> dict[str, object]:
    """Send a password reset or address confirmation link to user `user_id`."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return {"sent": False, "reason": "no such active user"}
    result = send_one(self, compose_account_email(purpose, user))
    return {"sent": result.outcome == SENT, "error": result.error}
