"""One email for a batch of events on one task, threaded with every other email about it."""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import make_msgid

from flask import current_app

from app.accounts.models import User
from app.actions.urls import action_urls
from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail, sender_domain
from app.core.timezones import format_local
from app.notifications.models import Notification, NotificationKind
from app.preferences.service import unsubscribe_token
from app.tasklist.models import Task


def thread_id(task: Task) -> str:
    """The Message-ID every email about `task` refers to, so mail clients thread them."""
    return f"<task-{task.id}@{sender_domain()}>"


def subject_for(task: Task) -> str:
    # The same subject for every email about the task: some clients thread by subject too.
    return f"[{task.project.name}] {task.title}"


def first_comment(notifications: list[Notification]) -> str | None:
    """The comment the email opens at: the first that mentions the reader, else the first."""
    mentions = [n for n in notifications if n.comment_id and n.kind == NotificationKind.MENTIONED]
    commented = mentions or [n for n in notifications if n.comment_id]
    return f"comment-{commented[0].comment_id}" if commented else None


def task_url(task: Task, anchor: str | None) -> str:
    url = absolute_url("tasks.detail", task_id=task.id)
    return f"{url}#{anchor}" if anchor else url


def compose_activity(
    user: User,
    task: Task,
    events: list[str],
    anchor: str | None = None,
    kinds: Iterable[str] = (),
) -> OutgoingEmail:
    """One email telling `user` the lines of `events` about `task`, threaded per task, its
    link opening at `anchor` (the comment it is about, if any). Its unsubscribe link turns off
    exactly `kinds` (the kinds of the events it tells), and names the task's project so the
    confirmation page can offer to mute it."""
    kinds = sorted(set(kinds)) or [kind.value for kind in NotificationKind]
    token = unsubscribe_token(current_app.config["SECRET_KEY"], user.id, kinds, task.project_id)
    unsubscribe_url = absolute_url("preferences.unsubscribe", token=token)
    content = render_email(
        "task_activity",
        subject_for(task),
        user=user,
        task=task,
        due=format_local(task.due_at, user.timezone),
        events=events,
        task_url=task_url(task, anchor),
        actions=action_urls(user.id, [task.id])[task.id] if task.is_open else None,
        unsubscribe_url=unsubscribe_url,
        preferences_url=absolute_url("preferences.edit"),
    )
    root = thread_id(task)
    return OutgoingEmail(
        key=user.id,
        to_address=user.email,
        to_name=user.name,
        content=content,
        message_id=make_msgid(domain=sender_domain()),
        headers={
            "In-Reply-To": root,
            "References": root,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
