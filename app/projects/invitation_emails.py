"""The email inviting an address to a project: its wording depends on whether it has an account,
which only the worker looks up, so the page that queued it cannot tell."""

from __future__ import annotations

from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.projects.invitation_models import ProjectInvitation
from app.projects.invitation_rules import INVITATION_LIFETIME


def invitation_subject(inviter: str, project: str) -> str:
    return f"{inviter} invited you to {project} on Tickler"


def compose_invitation_email(
    invitation: ProjectInvitation, token: str, *, has_account: bool
) -> OutgoingEmail:
    """The invitation with its Accept link; the token was just made by the worker."""
    named = invitation.invited_by.name if invitation.invited_by else None
    inviter = named or "A Tickler user"
    project = invitation.project.name
    content = render_email(
        "project_invitation",
        invitation_subject(inviter, project),
        f"Accept within {INVITATION_LIFETIME.days} days to see {project}'s tasks.",
        inviter=inviter,
        project=project,
        email=invitation.email,
        has_account=has_account,
        accept_url=absolute_url("invitations.show", token=token),
        days=INVITATION_LIFETIME.days,
    )
    return OutgoingEmail(
        key=invitation.id,
        to_address=invitation.email,
        to_name="",
        content=content,
        actor_name=named,  # From: "Ann via Tickler"
    )
