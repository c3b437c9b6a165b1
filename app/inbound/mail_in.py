"""Mail to a project's address: from a member, it becomes a task (subject as title, body as
description, a quick-add first line for due date and assignee), made the way the web makes it."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.database import DbSession
from app.core.i18n import in_language
from app.inbound.addresses import InboundAddress
from app.inbound.bodies import (
    attachments,
    attachments_note,
    strip_quotes,
    task_title,
    written_text,
)
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome, ProjectInboundAddress
from app.inbound.refusals import Reason, Refusal
from app.inbound.replies import is_tickler_account
from app.projects.models import Project, ProjectMember
from app.quickadd.dates import date_languages
from app.quickadd.parsing import Parsed, parse_line
from app.quickadd.service import reading_context
from app.tasklist.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, TaskPriority, TaskStatus
from app.tasklist.service import TaskFields, create_task

FORWARDED = ("fwd:", "fw:", "wg:", "tr:")
TITLE_STAND_IN = "mail"


def project_of_token(session: DbSession, token: str) -> Project | None:
    """The live project whose mail-in address has `token`, or None."""
    return session.scalar(
        select(Project)
        .join(ProjectInboundAddress, ProjectInboundAddress.project_id == Project.id)
        .where(ProjectInboundAddress.token == token, Project.deleted_at.is_(None))
    )


def member_by_address(session: DbSession, project_id: int, address: str) -> User | None:
    return session.scalar(
        select(User)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(
            ProjectMember.project_id == project_id,
            func.lower(User.email) == address.lower(),
            User.is_active,
        )
    )


def task_body(message: EmailMessage, subject: str) -> str:
    """The description: what was written (a forward keeps what it forwards; a new email loses
    its signature), with the attachments named but never stored."""
    text = written_text(message)
    forwarded = subject.strip().lower().startswith(FORWARDED)
    body = text.strip() if forwarded else strip_quotes(text)
    return body


def first_line_reading(
    session: DbSession, project_id: int, creator: User, body: str, now: datetime
) -> tuple[Parsed | None, str]:
    """The first line read as quick add, when it gives a due date or an assignee, and the body
    without it; else None and the body unchanged."""
    lines = body.split("\n")
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None or len(lines[index]) > 300:
        return None, body
    # No language is stored for a person yet: English dates, as quick add falls back to.
    languages = date_languages([])
    context = reading_context(session, project_id, creator, languages, now)
    # The title comes from the subject: a quoted stand-in keeps a line of only a date and
    # an assignee ("friday @bob") from reading as a task without a title.
    parsed = parse_line(f'"{TITLE_STAND_IN}" {lines[index]}', context)
    if not parsed.ok or (parsed.due_at is None and parsed.assignee is None):
        return None, body
    return parsed, "\n".join(lines[index + 1 :]).strip()


def handle_mail_in(
    session: DbSession,
    message: EmailMessage,
    address: InboundAddress,
    row: InboundMessage,
    *,
    now: datetime,
) -> Refusal | None:
    """Create the task the email describes, or the refusal (nothing written)."""
    row.kind = InboundKind.MAIL_IN
    project = project_of_token(session, address.project_token or "")
    if project is None:
        return Refusal(Reason.UNKNOWN_PROJECT, answer=is_tickler_account(session, row.sender))
    creator = member_by_address(session, project.id, row.sender)
    if creator is None:
        return Refusal(Reason.MAIL_IN_STRANGER, answer=is_tickler_account(session, row.sender))
    subject = str(message.get("Subject", "") or "")
    body = task_body(message, subject)
    parsed, body = first_line_reading(session, project.id, creator, body, now)
    # What Tickler adds to the task is in its creator's language.
    with in_language(creator.language):
        note = attachments_note(attachments(message))
        title = task_title(subject, body, TITLE_MAX_LENGTH)
    room = DESCRIPTION_MAX_LENGTH - len(note) - 2
    description = "\n\n".join(part for part in (body[:room].strip(), note) if part)
    task = create_task(
        session,
        project_id=project.id,
        creator=creator,
        fields=TaskFields(
            title=title,
            description=description,
            status=TaskStatus.PENDING,
            priority=(parsed.priority if parsed else None) or TaskPriority.MEDIUM,
            due_at=parsed.due_at if parsed else None,
            assignee_id=parsed.assignee.user_id if parsed and parsed.assignee else None,
        ),
    )
    row.user_id, row.task_id = creator.id, task.id
    row.outcome = InboundOutcome.CREATED
    row.detail = f"Task {task.id} in project {project.id}, by {creator.email}."
    return None
