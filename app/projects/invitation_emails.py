"""The email inviting an address to a project: its wording depends on whether it has an account,
which only the worker looks up, so the page that queued it cannot tell."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.core.i18n import in_language
from app.projects.invitation_models import ProjectInvitation
from app.projects.invitation_rules import INVITATION_LIFETIME


def invitation_subject(inviter: str, project: str) -> str:
    return gettext(
        "%(inviter)s invited you to %(project)s on Tickler", inviter=inviter, project=project
    )


def invitation_language(invitation: ProjectInvitation, invitee_language: str | None) -> str | None:
    """The language the invitation is written in. The address may have no account yet, so no
    language of its own: then the inviter's, the best guess we have (people tend to invite
    colleagues who read what they read). An invitee with an account reads theirs."""
    if invitee_language:
        return invitee_language
    return invitation.invited_by.language if invitation.invited_by else None


def compose_invitation_email(
    invitation: ProjectInvitation,
    token: str,
    *,
    has_account: bool,
    invitee_language: str | None = None,
) -> OutgoingEmail:
    """The invitation with its Accept link; the token was just made by the worker. Written in
    the invitee's language if they have an account (`invitee_language`), else the inviter's."""
    named = invitation.invited_by.name if invitation.invited_by else None
    project = invitation.project.name
    days = INVITATION_LIFETIME.days
    with in_language(invitation_language(invitation, invitee_language)):
        inviter = named or gettext("A Tickler user")
        content = render_email(
            "project_invitation",
            invitation_subject(inviter, project),
            ngettext(
                "Accept within %(num)d day to see %(project)s's tasks.",
                "Accept within %(num)d days to see %(project)s's tasks.",
                days,
                project=project,
            ),
            inviter=inviter,
            project=project,
            email=invitation.email,
            has_account=has_account,
            accept_url=absolute_url("invitations.show", token=token),
            days=days,
        )
    return OutgoingEmail(
        key=invitation.id,
        to_address=invitation.email,
        to_name="",
        content=content,
        actor_name=named,  # From: "Ann via Tickler"
    )
