"""Who hears of what happened to a task: pure rules over the people involved."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import NotificationKind


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
        chosen = set() if involved.assignee_id is None else {involved.assignee_id}
    elif event.kind == NotificationKind.STATUS_CHANGED:
        chosen = involved.followers
    elif event.kind in ADDRESSED:
        chosen = set(event.addressed_ids)
    else:
        # Those mentioned hear of the comment through the mention instead.
        chosen = (involved.followers | involved.commenter_ids) - event.addressed_ids
    return chosen - {event.actor_id}
