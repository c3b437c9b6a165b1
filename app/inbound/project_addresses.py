"""A project's mail-in address: made on first turn-on, replaced on regenerate (the old one then
finds nothing), removed on turn-off."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select

from app.core.database import DbSession
from app.inbound.models import ProjectInboundAddress

# Lower case letters and digits only: safe in any local part, unchanged by case-folding.
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TOKEN_LENGTH = 20


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def token_of(session: DbSession, project_id: int) -> str | None:
    return session.scalar(
        select(ProjectInboundAddress.token).where(ProjectInboundAddress.project_id == project_id)
    )


def turn_on(session: DbSession, project_id: int, user_id: int) -> str:
    """The project's token, made now if it has none."""
    existing = token_of(session, project_id)
    if existing:
        return existing
    return regenerate(session, project_id, user_id)


def regenerate(session: DbSession, project_id: int, user_id: int) -> str:
    """A new token in place of the old one: mail to the old address stops arriving."""
    turn_off(session, project_id)
    token = new_token()
    session.add(ProjectInboundAddress(project_id=project_id, token=token, created_by_id=user_id))
    return token


def turn_off(session: DbSession, project_id: int) -> None:
    session.execute(
        delete(ProjectInboundAddress).where(ProjectInboundAddress.project_id == project_id)
    )
