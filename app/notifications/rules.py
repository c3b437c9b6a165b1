"""Who hears of what happened to a task: pure rules over the people involved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext

from app.notifications.models import Notification, NotificationKind

# The reason an activity email gives in the ledger, for the Outbox page.
ACTIVITY_RULE = "activity on a task you are involved in, as your notification choices ask"


@dataclass(frozen=True)
class Involved:
    """The people tied to a task, by how."""

    creator_id: int | None
    assignee_id: int | None
    watcher_ids: frozenset[int] = frozenset()
    commenter_ids: frozenset[int] = frozenset()

    @property
    def followers(self) -> set[int]:
        ids = {self.creator_id, self.assignee_id, *self.watcher_ids}
        return {i for i in ids if i is not None}


@dataclass(frozen=True)
class Event:
    kind: NotificationKind
    task_id: int
    actor_id: int | None
    # People the event names directly: those a comment mentions, a reminder's owner.
    addressed_ids: frozenset[int] = field(default_factory=frozenset)
    # A status change's before and after (TaskStatus values), for the batched email's rule.
    status_from: str | None = None
    status_to: str | None = None


# Kinds whose event names its recipients itself.
ADDRESSED = (
    NotificationKind.MENTIONED,
    NotificationKind.REMINDER,
    NotificationKind.DEADLINE,
    NotificationKind.ESCALATED,
)


def recipients(event: Event, involved: Involved) -> set[int]:
    """Who is told of `event`; never the person who did it."""
    chosen: set[int]
    if event.kind == NotificationKind.ASSIGNED:
        # The person it was assigned to then, when the event says; a later reassignment is
        # told by the batched email's rule (news_at_sending).
        chosen = set(event.addressed_ids) or {i for i in (involved.assignee_id,) if i is not None}
    elif event.kind == NotificationKind.STATUS_CHANGED:
        chosen = involved.followers
    elif event.kind in ADDRESSED:
        chosen = set(event.addressed_ids)
    else:
        # Those mentioned hear of the comment through the mention instead.
        chosen = (involved.followers | involved.commenter_ids) - event.addressed_ids
    return chosen - {event.actor_id}


@dataclass(frozen=True)
class BatchedEvent:
    """One event waiting in a person's batch, as it was recorded."""

    kind: NotificationKind
    message: str
    status_from: str | None = None
    status_to: str | None = None
    # Who did it, by name (None: nobody did, as for a reminder): the email's subject and From.
    actor_name: str | None = None


@dataclass(frozen=True)
class TaskNow:
    """The task as it is when the batch is sent."""

    title: str
    status: str
    is_open: bool
    assignee_id: int | None
    assignee_name: str | None = None


# Kinds about a deadline: no news once the task is closed.
ABOUT_THE_DEADLINE = (NotificationKind.DEADLINE, NotificationKind.ESCALATED)


def is_escalation(recipient_id: int, events: Sequence[BatchedEvent], task: TaskNow) -> bool:
    """Whether the email tells a project owner of someone else's long-overdue, still open task:
    it then offers what an owner does (open, reassign), not the assignee's own buttons."""
    return (
        task.is_open
        and task.assignee_id != recipient_id
        and any(event.kind == NotificationKind.ESCALATED for event in events)
    )


def news_at_sending(recipient_id: int, events: Sequence[BatchedEvent], task: TaskNow) -> list[str]:
    """What to tell `recipient_id` of a batch of events on one task, in order, as the task is
    now: events that no longer hold are dropped, one line per kind of change that still does.

    - assigned: said once if the task is still theirs; otherwise that it was reassigned away.
    - status changes: none if the status is back where the batch found it, or has moved on
      since (that change comes in its own email, or was the recipient's own); else the last
      change that led to the current status.
    - deadline alerts: none once the task is closed.
    """
    return [line for _, line in news_items(recipient_id, events, task)]


def news_items(
    recipient_id: int, events: Sequence[BatchedEvent], task: TaskNow
) -> list[tuple[BatchedEvent, str]]:
    """`news_at_sending`'s lines, each with the event it tells (its subject is made from them)."""
    chosen: dict[int, str] = {}
    assigned = [i for i, e in enumerate(events) if e.kind == NotificationKind.ASSIGNED]
    if assigned:
        if task.assignee_id == recipient_id:
            chosen[assigned[-1]] = events[assigned[-1]].message
        else:
            chosen[assigned[-1]] = _reassigned_away(task)
    chosen.update(_status_news(events, task))
    for index, event in enumerate(events):
        if event.kind in (NotificationKind.ASSIGNED, NotificationKind.STATUS_CHANGED):
            continue
        if event.kind in ABOUT_THE_DEADLINE and not task.is_open:
            continue
        chosen[index] = event.message
    return [(events[index], chosen[index]) for index in sorted(chosen)]


def _reassigned_away(task: TaskNow) -> str:
    if task.assignee_name:
        return gettext(
            "“%(title)s” was reassigned to %(assignee)s; it is no longer yours",
            title=task.title,
            assignee=task.assignee_name,
        )
    return gettext("“%(title)s” is no longer assigned to you", title=task.title)


def _status_news(events: Sequence[BatchedEvent], task: TaskNow) -> dict[int, str]:
    changes = [i for i, e in enumerate(events) if e.kind == NotificationKind.STATUS_CHANGED]
    if not changes:
        return {}
    # Recorded before the status was remembered: nothing to compare, say them as they were.
    unknown = {i: events[i].message for i in changes if events[i].status_to is None}
    known = [i for i in changes if events[i].status_to is not None]
    if not known or events[known[0]].status_from == task.status:
        return unknown
    leading_here = [i for i in known if events[i].status_to == task.status]
    return {
        **unknown,
        **({leading_here[-1]: events[leading_here[-1]].message} if leading_here else {}),
    }


def activity_period(batch: list[Notification]) -> str:
    """The ledger period of one activity email: its first event, claimed by one email only."""
    return f"n{batch[0].id}"


def activity_reason(batch: list[Notification]) -> dict:
    """Why this person got this activity email: the events it listed, on which task."""
    return {
        "rule": ACTIVITY_RULE,
        "task_ids": sorted({n.task_id for n in batch if n.task_id is not None}),
        "events": [n.message for n in batch],
        "notification_ids": [n.id for n in batch],
    }
