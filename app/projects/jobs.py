"""Project emails, sent by the worker so a slow mail server never slows a page."""

from __future__ import annotations

from celery import Task

from app import task_catalog as catalog
from app.accounts.service import find_user_by_email
from app.core.database import utcnow
from app.core.email.job_sending import email_job, send_one
from app.core.email.send import SENT
from app.extensions import db
from app.projects import invitations
from app.projects.invitation_emails import compose_invitation_email
from app.projects.invitation_models import ProjectInvitation


# The task's name keeps the accounts prefix it was first queued under (names never change).
@email_job(catalog.SEND_PROJECT_INVITATION.name)
def send_project_invitation(self: Task, invitation_id: int) -> dict[str, object]:
    """Email invitation `invitation_id` with a fresh Accept link. The page queues this alike
    for every address; here, and only here, the wording follows whether it has an account."""
    token = invitations.issue_token(db.session, invitation_id, utcnow())
    if token is None:
        return {"sent": False, "reason": "invitation no longer open"}
    db.session.commit()
    invitation = db.session.get_one(ProjectInvitation, invitation_id)
    # The invitee's account, if any, comes with its language (a column: no extra query); an
    # address without one gets the inviter's language (compose_invitation_email).
    invitee = find_user_by_email(db.session, invitation.email)
    email = compose_invitation_email(
        invitation,
        token,
        has_account=invitee is not None,
        invitee_language=invitee.language if invitee else None,
    )
    result = send_one(self, email)
    return {"sent": result.outcome == SENT, "error": result.error}
