"""One email for a batch of events on one task, threaded with every other email about it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext, ngettext

from app.accounts.models import User
from app.actions.urls import action_urls
from app.checklists.queries import ChecklistProgress, progress_for_tasks
from app.core.database import DbSession, utcnow
from app.core.email.models import EmailKind
from app.core.email.render import RenderedEmail, absolute_url, render_email
from app.core.email.send import OutgoingEmail, new_message_id, sender_domain
from app.core.i18n import in_language
from app.core.timezones import format_local
from app.inbound.addresses import inbound_enabled
from app.inbound.outgoing import task_reply_to
from app.labels.queries import LabelView, labels_for_tasks
from app.notifications.models import Notification, NotificationKind
from app.notifications.rules import BatchedEvent, TaskNow
from app.notifications.service import status_in_sentence
from app.preferences.service import unsubscribe_token
from app.tasklist.models import Task, TaskStatus


@dataclass(frozen=True)
class EmailComment:
    """A comment an activity email shows whole: rendered from Markdown in the HTML part, its
    Markdown source as written in the text part."""

    author: str
    body: str
    # {handle: absolute link} of the project's members: mentions highlighted and linked.
    mentions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskExtras:
    """The task's labels and checklist progress, shown under its title (read by the job)."""

    labels: tuple[LabelView, ...] = ()
    progress: ChecklistProgress | None = None

    def context(self) -> dict[str, object]:
        return {"task_labels": list(self.labels), "task_progress": self.progress}


def task_extras(session: DbSession, task_id: int) -> TaskExtras:
    """Two statements, once per email job."""
    labels = labels_for_tasks(session, [task_id]).get(task_id, [])
    return TaskExtras(tuple(labels), progress_for_tasks(session, [task_id]).get(task_id))


def thread_id(task: Task) -> str:
    """The Message-ID every email about `task` refers to, so mail clients thread them."""
    return f"<task-{task.id}@{sender_domain()}>"


@dataclass(frozen=True)
class Headline:
    """What an activity email's subject says, and who its From names ("Ana via Tickler")."""

    subject: str
    actor_name: str | None = None


def activity_headline(
    recipient_id: int, news: Sequence[tuple[BatchedEvent, str]], task: TaskNow
) -> Headline:
    """The subject names what happened and who did it, so the inbox line alone tells it:
    "Ana assigned you “Fix login”", "“Fix login” is now Blocked", "3 updates on “Fix login”".
    From names the one person behind every event, if there is one."""
    actors = {event.actor_name for event, _ in news}
    actor = actors.pop() if len(actors) == 1 else None
    if len(news) != 1:
        return Headline(updates_subject(len(news), task.title), actor)
    [(event, _)] = news
    return Headline(event_subject(recipient_id, event, task), actor)


def updates_subject(count: int, title: str) -> str:
    """ "3 updates on “Fix login”": a batch of several events."""
    return ngettext(
        "%(num)d update on “%(title)s”", "%(num)d updates on “%(title)s”", count, title=title
    )


def event_subject(recipient_id: int, event: BatchedEvent, task: TaskNow) -> str:
    """One event, told in a subject line, the task named by its current title."""
    title, actor = task.title, event.actor_name or gettext("Someone")
    if event.kind == NotificationKind.ASSIGNED:
        if task.assignee_id == recipient_id:
            return gettext("%(actor)s assigned you “%(title)s”", actor=actor, title=title)
        if task.assignee_name:
            return gettext(
                "“%(title)s” was reassigned to %(assignee)s",
                title=title,
                assignee=task.assignee_name,
            )
        return gettext("“%(title)s” is no longer assigned to you", title=title)
    if event.kind == NotificationKind.STATUS_CHANGED:
        status = TaskStatus(event.status_to or task.status).label
        return gettext("“%(title)s” is now %(status)s", title=title, status=status)
    if event.kind == NotificationKind.MENTIONED:
        return gettext("%(actor)s mentioned you on “%(title)s”", actor=actor, title=title)
    if event.kind == NotificationKind.COMMENTED:
        return gettext("%(actor)s commented on “%(title)s”", actor=actor, title=title)
    if event.kind == NotificationKind.REMINDER:
        return gettext("Reminder: “%(title)s”", title=title)
    if event.kind == NotificationKind.DEADLINE:
        return gettext("“%(title)s” is due within 24 hours", title=title)
    return gettext("“%(title)s” is overdue", title=title)  # ESCALATED


def activity_preheader(project_name: str, lines: Sequence[str], limit: int = 140) -> str:
    """The hidden line inbox lists show after the subject: the project, then what happened."""
    gist = f"{project_name} · " + " · ".join(lines)
    return gist if len(gist) <= limit else gist[: limit - 1] + "…"


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
    values = {"title": task.title, "project": task.project.name}
    if task.assignee:
        return ngettext(
            "Overdue %(num)d day: %(title)s (%(assignee)s) [%(project)s]",
            "Overdue %(num)d days: %(title)s (%(assignee)s) [%(project)s]",
            days_late,
            assignee=task.assignee.name,
            **values,
        )
    return ngettext(
        "Overdue %(num)d day: %(title)s (nobody) [%(project)s]",
        "Overdue %(num)d days: %(title)s (nobody) [%(project)s]",
        days_late,
        **values,
    )


def compose_activity(
    user: User,
    task: Task,
    events: list[str],
    anchor: str | None = None,
    headline: Headline | None = None,
    kinds: Iterable[str] = (),
    comments: Sequence[EmailComment] = (),
    extras: TaskExtras | None = None,
    now: datetime | None = None,
) -> OutgoingEmail:
    """One email telling `user` the lines of `events` about `task` (and the `comments` they
    are about, whole), threaded per task, its
    link opening at `anchor` (the comment it is about, if any), its subject and From from
    `headline` (without one: "N updates on “title”" from Tickler). Its unsubscribe link turns
    off exactly `kinds` (the kinds of the events it tells) and names the task's project, so
    the confirmation page can offer to mute it. With inbound mail on, a reply to it (composed
    at `now`, default: this moment) becomes `user`'s comment on `task`."""
    footer = footer_links(user, kinds, task.project_id)
    with in_language(user.language):
        headline = headline or Headline(updates_subject(len(events), task.title))
        content = _render_activity(user, task, events, anchor, headline, comments, extras, footer)
    return threaded(user, task, content, footer["unsubscribe_url"], headline.actor_name, now)


def _render_activity(
    user: User,
    task: Task,
    events: list[str],
    anchor: str | None,
    headline: Headline,
    comments: Sequence[EmailComment],
    extras: TaskExtras | None,
    footer: dict[str, Any],
) -> RenderedEmail:
    return render_email(
        "task_activity",
        headline.subject,
        activity_preheader(task.project.name, events),
        user=user,
        task=task,
        due=format_local(task.due_at, user.timezone),
        events=events,
        comments=comments,
        task_url=task_url(task, anchor),
        actions=action_urls(user.id, [task.id])[task.id] if task.is_open else None,
        **(extras or TaskExtras()).context(),
        **footer,
    )


def compose_escalation(
    user: User,
    task: Task,
    events: list[str],
    now: datetime,
    extras: TaskExtras | None = None,
) -> OutgoingEmail:
    """The email telling project owner `user` that someone else's `task` is long overdue: who
    has it, how late it is, why they hear of it, and the owner's own actions (open, reassign)."""
    assert task.due_at is not None  # only overdue tasks are escalated
    days_late = max(1, (now - task.due_at).days)
    footer = footer_links(user, [NotificationKind.ESCALATED.value], task.project_id)
    with in_language(user.language):
        content = _render_escalation(user, task, events, days_late, extras, footer)
    return threaded(user, task, content, footer["unsubscribe_url"], now=now)


def escalation_preheader(task: Task, days_late: int) -> str:
    if task.assignee:
        return ngettext(
            "%(assignee)s has it, %(num)d day late",
            "%(assignee)s has it, %(num)d days late",
            days_late,
            assignee=task.assignee.name,
        )
    return ngettext(
        "Nobody has it, %(num)d day late", "Nobody has it, %(num)d days late", days_late
    )


def _render_escalation(
    user: User,
    task: Task,
    events: list[str],
    days_late: int,
    extras: TaskExtras | None,
    footer: dict[str, Any],
) -> RenderedEmail:
    assert task.due_at is not None
    escalate_after = current_app.config["OVERDUE_ESCALATE_DAYS"]
    return render_email(
        "task_escalation",
        escalation_subject(task, days_late),
        escalation_preheader(task, days_late),
        user=user,
        task=task,
        assignee=task.assignee.name if task.assignee else None,
        days_late=days_late,
        status_word=status_in_sentence(task.status),
        escalate_after=escalate_after,
        due=format_local(task.due_at, user.timezone),
        events=events,
        task_url=task_url(task, None),
        reassign_url=absolute_url("tasks.edit", task_id=task.id),
        **(extras or TaskExtras()).context(),
        **footer,
    )


def footer_links(user: User, kinds: Iterable[str], project_id: int) -> dict[str, Any]:
    """The footer's links: one-click unsubscribe from exactly `kinds` (all task emails when
    none are named) about `project_id`'s tasks, and the preferences page; and, with inbound
    mail on, the line saying a reply becomes a comment."""
    named = sorted(set(kinds)) or [kind.value for kind in NotificationKind]
    token = unsubscribe_token(current_app.config["SECRET_KEY"], user.id, named, project_id)
    return {
        "unsubscribe_url": absolute_url("preferences.unsubscribe", token=token),
        "preferences_url": absolute_url("preferences.edit"),
        "reply_adds_comment": inbound_enabled(current_app.config),
    }


def threaded(
    user: User,
    task: Task,
    content: RenderedEmail,
    unsubscribe_url: str,
    actor_name: str | None = None,
    now: datetime | None = None,
) -> OutgoingEmail:
    """`content` to `user`, in the thread of every email about `task`, with one-click
    unsubscribe, from "<actor_name> via Tickler" when someone's change is the news; with
    inbound mail on, its Reply-To is `user`'s signed reply address for `task` (dated `now`)."""
    root = thread_id(task)
    return OutgoingEmail(
        key=user.id,
        to_address=user.email,
        to_name=user.name,
        content=content,
        message_id=new_message_id(),
        kind=EmailKind.TASK_ACTIVITY.value,
        actor_name=actor_name,
        reply_to=task_reply_to(current_app.config, user.id, task.id, now or utcnow()),
        headers={
            "In-Reply-To": root,
            "References": root,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
