"""Comments: who may write and edit them, and whom they mention."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.comments.models import Comment, TaskWatcher
from app.core import events
from app.core.database import DbSession
from app.core.errors import Forbidden, RuleViolation
from app.core.events import CommentAdded
from app.core.mentions import Member, mentioned
from app.projects.models import ProjectMember
from app.tasklist.models import Task

EDIT_WINDOW = timedelta(minutes=15)


def comments_on(session: DbSession, task_id: int) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.task_id == task_id)
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def project_members(session: DbSession, project_id: int) -> list[Member]:
    rows = session.execute(
        select(User.id, User.name, User.email)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project_id)
    )
    return [Member(*row) for row in rows]


def add_comment(session: DbSession, task: Task, author: User, body: str) -> Comment:
    """Post a comment; records CommentAdded in this transaction (mentions, webhooks)."""
    text = body.strip()
    if not text:
        raise RuleViolation(gettext("Write something before posting."))
    comment = Comment(task_id=task.id, author_id=author.id, body=text)
    session.add(comment)
    session.flush()
    events.record(session, CommentAdded(comment.id, task.id, task.project_id, author.id))
    return comment


def mentioned_in(session: DbSession, comment: Comment) -> set[int]:
    """Ids of the project members the comment mentions."""
    project_id = session.scalars(select(Task.project_id).where(Task.id == comment.task_id)).one()
    return mentioned(comment.body, project_members(session, project_id))


def can_edit(comment: Comment, user_id: int, now: datetime) -> bool:
    return comment.author_id == user_id and now - comment.created_at <= EDIT_WINDOW


def ensure_author(comment: Comment, user_id: int) -> None:
    """Only whoever wrote a comment may edit it (the project's owners included may not)."""
    if comment.author_id != user_id:
        raise Forbidden(gettext("Only its author can edit a comment."))


def edit_comment(comment: Comment, user_id: int, body: str, now: datetime) -> None:
    ensure_author(comment, user_id)
    if not can_edit(comment, user_id, now):
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise RuleViolation(
            ngettext(
                "Comments can be edited for %(num)d minute after posting.",
                "Comments can be edited for %(num)d minutes after posting.",
                minutes,
            )
        )
    if not body.strip():
        raise RuleViolation(gettext("A comment cannot be empty."))
    comment.body = body.strip()
    comment.edited_at = now


def is_watching(session: DbSession, task_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(TaskWatcher.id).where(
                TaskWatcher.task_id == task_id, TaskWatcher.user_id == user_id
            )
        )
        is not None
    )


def set_watching(session: DbSession, task_id: int, user_id: int, watch: bool) -> None:
    existing = session.scalar(
        select(TaskWatcher).where(TaskWatcher.task_id == task_id, TaskWatcher.user_id == user_id)
    )
    if watch and existing is None:
        session.add(TaskWatcher(task_id=task_id, user_id=user_id))
    elif not watch and existing is not None:
        session.delete(existing)
