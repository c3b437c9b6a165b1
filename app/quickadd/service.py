"""Quick add against the database: what a line is read against (members, labels), and saving
it through the task service's create_task, the one way a task is made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.accounts.models import User
from app.comments.service import project_members
from app.core.database import DbSession
from app.core.errors import RuleViolation
from app.labels.models import Label
from app.labels.service import set_task_labels
from app.quickadd.parsing import Context, LabelChoice, Parsed, parse_line
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.tasklist.service import TaskFields, create_task


def reading_context(
    session: DbSession, project_id: int, person: User, languages: tuple[str, ...], now: datetime
) -> Context:
    """The project's members and labels, the person's zone and languages: two statements."""
    labels = session.execute(
        select(Label.id, Label.name).where(Label.project_id == project_id).order_by(Label.name)
    )
    return Context(
        now=now,
        timezone_name=person.timezone,
        languages=languages,
        members=project_members(session, project_id),
        labels=[LabelChoice(label_id, name) for label_id, name in labels],
        me=person.id,
    )


def read_line(
    session: DbSession,
    project_id: int,
    person: User,
    text: str,
    languages: tuple[str, ...],
    now: datetime,
) -> Parsed:
    return parse_line(text, reading_context(session, project_id, person, languages, now))


def save_line(session: DbSession, project_id: int, creator: User, parsed: Parsed) -> Task:
    """Create the task a line describes (read again at saving, never trusted from the preview
    page); RuleViolation with the line's problems when it cannot be saved."""
    if not parsed.ok:
        raise RuleViolation(" ".join(parsed.problems))
    task = create_task(
        session,
        project_id=project_id,
        creator=creator,
        fields=TaskFields(
            title=parsed.title,
            description="",
            status=TaskStatus.PENDING,
            priority=parsed.priority or TaskPriority.MEDIUM,
            due_at=parsed.due_at,
            assignee_id=parsed.assignee.user_id if parsed.assignee else None,
        ),
    )
    if parsed.labels:
        set_task_labels(session, task, [label.id for label in parsed.labels], actor_id=creator.id)
    return task
