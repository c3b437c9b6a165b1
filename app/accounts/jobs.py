"""Account emails, sent by the worker so a slow mail server never slows a page."""

from __future__ import annotations

from celery import Task, shared_task

from app import task_catalog as catalog
from app.accounts import tokens
from app.accounts.emails import compose_account_email
from app.accounts.models import User
from app.accounts.service import find_user_by_email
from app.core.database import utcnow
from app.core.email.send import SENT
from app.extensions import db
from app.notifications.jobs import send_one
from app.projects import invitations
from app.projects.invitation_emails import compose_invitation_email
from app.projects.invitation_models import ProjectInvitation


@shared_task(
    bind=True,
    name=catalog.SEND_ACCOUNT_EMAIL.name,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def send_account_email(self: Task, purpose: str, user_id: int) -> dict[str, object]:
    """Send a password reset or address confirmation link to user `user_id`."""
    return _email_link(self, purpose, db.session.get(User, user_id))


@shared_task(
    bind=True,
    name=catalog.SEND_PASSWORD_RESET_TO_ADDRESS.name,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
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


@shared_task(
    bind=True,
    name=catalog.SEND_PROJECT_INVITATION.name,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def send_project_invitation(self: Task, invitation_id: int) -> dict[str, object]:
    """Email invitation `invitation_id` with a fresh Accept link. The page queues this alike
    for every address; here, and only here, the wording follows whether it has an account."""
    token = invitations.issue_token(db.session, invitation_id, utcnow())
    if token is None:
        return {"sent": False, "reason": "invitation no longer open"}
    db.session.commit()
    invitation = db.session.get_one(ProjectInvitation, invitation_id)
    has_account = find_user_by_email(db.session, invitation.email) is not None
    result = send_one(self, compose_invitation_email(invitation, token, has_account=has_account))
    return {"sent": result.outcome == SENT, "error": result.error}
