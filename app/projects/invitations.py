"""Adding people to a project without telling its owner which addresses have accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import User
from app.accounts.service import normalise_email
from app.core.database import DbSession
from app.core.errors import NotFound, RuleViolation
from app.projects.invitation_models import ProjectInvitation
from app.projects.invitation_rules import (
    CLOSED_MESSAGES,
    INVITATION_LIFETIME,
    InvitationFacts,
    InvitationState,
    acceptance_problem,
    new_token,
    state_of,
    token_digest,
)
from app.projects.models import MemberRole, Project, ProjectMember


@dataclass(frozen=True)
class Added:
    """Someone the adder already shares a project with, now a member."""

    member: ProjectMember


@dataclass(frozen=True)
class Invited:
    """An invitation recorded for the address, to be emailed after commit."""

    invitation: ProjectInvitation


def state(invitation: ProjectInvitation, now: datetime) -> InvitationState:
    return state_of(
        InvitationFacts(
            invitation.token_hash,
            invitation.expires_at,
            invitation.accepted_at,
            invitation.revoked_at,
        ),
        now,
    )


def known_person(session: DbSession, email: str, adder_id: int) -> User | None:
    """The account at `email` if it shares a project with `adder_id`, else None: one statement
    whether or not the address has an account, so neither the answer nor its cost differs."""
    mine, theirs = aliased(ProjectMember), aliased(ProjectMember)
    shares = exists().where(
        mine.user_id == adder_id, theirs.user_id == User.id, theirs.project_id == mine.project_id
    )
    return session.scalar(
        select(User).where(func.lower(User.email) == normalise_email(email), shares)
    )


def add_or_invite(
    session: DbSession, project: Project, adder_id: int, email: str, now: datetime
) -> Added | Invited:
    """Add at once someone the adder already works with (their name is no news to them);
    anyone else, account or not, gets an invitation to accept."""
    person = known_person(session, email, adder_id)
    if person is None:
        return Invited(invite(session, project.id, email, adder_id, now))
    if session.scalar(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == person.id
        )
    ):
        raise RuleViolation(
            gettext("%(name)s is already a member of this project.", name=person.name)
        )
    member = ProjectMember(project=project, user=person, role=MemberRole.MEMBER)
    session.add(member)
    session.flush()
    return Added(member)


def invite(
    session: DbSession, project_id: int, email: str, invited_by_id: int, now: datetime
) -> ProjectInvitation:
    """The project's invitation for the address, made or reopened: inviting again is a resend,
    never a second row."""
    address = normalise_email(email)
    invitation = session.scalar(
        select(ProjectInvitation).where(
            ProjectInvitation.project_id == project_id, ProjectInvitation.email == address
        )
    )
    if invitation is None:
        invitation = ProjectInvitation(project_id=project_id, email=address, created_at=now)
        session.add(invitation)
    elif invitation.accepted_at is not None or invitation.revoked_at is not None:
        # A closed invitation reopened: its old link must not come back to life.
        invitation.token_hash = None
        invitation.accepted_at = invitation.revoked_at = None
    invitation.invited_by_id = invited_by_id
    invitation.invited_at = now
    session.flush()
    return invitation


def open_invitation(session: DbSession, project_id: int, invitation_id: int) -> ProjectInvitation:
    """An invitation of this project that is neither accepted nor revoked; NotFound otherwise."""
    invitation = session.scalar(
        select(ProjectInvitation).where(
            ProjectInvitation.id == invitation_id,
            ProjectInvitation.project_id == project_id,
            ProjectInvitation.accepted_at.is_(None),
            ProjectInvitation.revoked_at.is_(None),
        )
    )
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}")  # i18n: internal
    return invitation


def mark_resent(invitation: ProjectInvitation, now: datetime) -> None:
    invitation.invited_at = now


def revoke(invitation: ProjectInvitation, now: datetime) -> None:
    """Withdraw it: its link stops working at once (and, kept, says so)."""
    invitation.revoked_at = now


def open_invitations_of(session: DbSession, project_id: int) -> list[ProjectInvitation]:
    """Invitations still waiting (expired ones too, so they can be resent), newest first, with
    who sent them: two statements whatever their number."""
    return list(
        session.scalars(
            select(ProjectInvitation)
            .where(
                ProjectInvitation.project_id == project_id,
                ProjectInvitation.accepted_at.is_(None),
                ProjectInvitation.revoked_at.is_(None),
            )
            .options(selectinload(ProjectInvitation.invited_by))
            .order_by(ProjectInvitation.invited_at.desc(), ProjectInvitation.id.desc())
        )
    )


def issue_token(session: DbSession, invitation_id: int, now: datetime) -> str | None:
    """A fresh link for an open invitation, its hash stored and its 14 days starting now (the
    worker calls this as it sends, so no token passes through the broker); None if the
    invitation was accepted, revoked or deleted meanwhile."""
    invitation = session.get(ProjectInvitation, invitation_id)
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return None
    token = new_token()
    invitation.token_hash = token_digest(token)
    invitation.expires_at = now + INVITATION_LIFETIME
    return token


def find_by_token(session: DbSession, token: str) -> ProjectInvitation | None:
    return session.scalar(
        select(ProjectInvitation)
        .where(ProjectInvitation.token_hash == token_digest(token))
        .options(
            selectinload(ProjectInvitation.project), selectinload(ProjectInvitation.invited_by)
        )
    )


class InvitationClosed(RuleViolation):
    """Accepted, revoked or expired: the link can do nothing more."""


def check_open(invitation: ProjectInvitation, now: datetime) -> None:
    if invitation.project.deleted_at is not None:
        raise InvitationClosed(
            gettext("The project was deleted by its owner, so this invitation is closed.")
        )
    current = state(invitation, now)
    if current != InvitationState.PENDING:
        raise InvitationClosed(str(CLOSED_MESSAGES[current]))


def accept(session: DbSession, invitation: ProjectInvitation, user: User, now: datetime) -> None:
    """Make `user` a member through the invitation: only while it is open, and only for the
    confirmed owner of the invited address. InvitationClosed or RuleViolation otherwise."""
    check_open(invitation, now)
    problem = acceptance_problem(
        invited=invitation.email,
        account_email=user.email,
        account_confirmed=user.email_verified_at is not None,
    )
    if problem:
        raise RuleViolation(problem)
    already = session.scalar(
        select(ProjectMember.id).where(
            ProjectMember.project_id == invitation.project_id, ProjectMember.user_id == user.id
        )
    )
    if already is None:
        session.add(
            ProjectMember(project_id=invitation.project_id, user_id=user.id, role=MemberRole.MEMBER)
        )
    # The hash stays, so the link, opened again, says it was accepted.
    invitation.accepted_at = now
    session.flush()
