"""One email for a batch of events on one task, threaded with every other email about it."""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid

from flask import current_app

from app.accounts.models import User
from app.actions.urls import action_urls
from app.core.email.render import RenderedEmail, absolute_url, render_email
from app.core.email.send import OutgoingEmail, sender_domain
from app.core.plurals import plural
from app.core.timezones import format_local
from app.notifications.models import Notification, NotificationKind
from app.preferences.service import ACTIVITY, unsubscribe_token
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


def escalation_subject(task: Task, days_late: int) -> str:
    """Its own subject, so an owner sees at a glance that this one asks something of them."""
    who = task.assignee.name if task.assignee else "nobody"
    return f"Overdue {plural(days_late, 'day')}: {task.title} ({who}) [{task.project.name}]"


def compose_activity(
    user: User, task: Task, events: list[str], anchor: str | None = None
) -> OutgoingEmail:
    """One email telling `user` the lines of `events` about `task`, threaded per task, its
    link opening at `anchor` (the comment it is about, if any)."""
    footer = footer_links(user)
    content = render_email(
        "task_activity",
        subject_for(task),
        user=user,
        task=task,
        due=format_local(task.due_at, user.timezone),
        events=events,
        task_url=task_url(task, anchor),
        actions=action_urls(user.id, [task.id])[task.id] if task.is_open else None,
        **footer,
    )
    return threaded(user, task, content, footer["unsubscribe_url"])


def compose_escalation(user: User, task: Task, events: list[str], now: datetime) -> OutgoingEmail:
    """The email telling project owner `user` that someone else's `task` is long overdue: who
    has it, how late it is, why they hear of it, and the owner's own actions (open, reassign)."""
    assert task.due_at is not None  # only overdue tasks are escalated
    days_late = max(1, (now - task.due_at).days)
    footer = footer_links(user)
    content = render_email(
        "task_escalation",
        escalation_subject(task, days_late),
        user=user,
        task=task,
        assignee=task.assignee.name if task.assignee else None,
        late=plural(days_late, "day"),
        after=plural(current_app.config["OVERDUE_ESCALATE_DAYS"], "day"),
        due=format_local(task.due_at, user.timezone),
        events=events,
        task_url=task_url(task, None),
        reassign_url=absolute_url("tasks.edit", task_id=task.id),
        **footer,
    )
    return threaded(user, task, content, footer["unsubscribe_url"])


def footer_links(user: User) -> dict[str, str]:
    token = unsubscribe_token(current_app.config["SECRET_KEY"], user.id, ACTIVITY)
    return {
        "unsubscribe_url": absolute_url("preferences.unsubscribe", token=token),
        "preferences_url": absolute_url("preferences.edit"),
    }


def threaded(user: User, task: Task, content: RenderedEmail, unsubscribe_url: str) -> OutgoingEmail:
    """`content` to `user`, in the thread of every email about `task`, with one-click
    unsubscribe."""
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
