"""Account emails, sent by the worker so a slow mail server never slows a page."""

from __future__ import annotations

from celery import Task

from app import task_catalog as catalog
from app.accounts import tokens
from app.accounts.emails import compose_account_email
from app.accounts.models import User
from app.accounts.service import find_user_by_email
from app.core.email.job_sending import email_job, send_one
from app.core.email.send import SENT
from app.extensions import db


@email_job(catalog.SEND_ACCOUNT_EMAIL.name)
def send_account_email(self: Task, purpose: str, user_id: int) -> dict[str, object]:
    """Send a password reset or address confirmation link to user `user_id`."""
    return _email_link(self, purpose, db.session.get(User, user_id))


@email_job(catalog.SEND_PASSWORD_RESET_TO_ADDRESS.name)
def send_password_reset_to_address(self: Task, address: str) -> dict[str, object]:
    """A reset link to the account at `address`, if there is an active one. The page queues
    this for every address asked about, so its answer and its time say nothing of accounts."""
    return _email_link(self, tokens.PASSWORD_RESET, find_user_by_email(db.session, address))


def _email_link(job: Task, purpose: str, user: User | None) -> dict[str, object]:
    """An account link for `purpose` to `user`, if the account is active."""
    if user is None or not user.is_active:
        return {"sent": False, "reason": "no such active user"}
    result = send_one(job, compose_account_email(purpose, user))
    return {"sent": result.outcome == SENT, "error": result.error}
