"""is_escalation: which emails about a long-overdue task are an owner's escalation."""

from __future__ import annotations

from app.notifications.models import NotificationKind
from app.notifications.rules import BatchedEvent, TaskNow, is_escalation

OWNER, ASSIGNEE = 1, 2
ESCALATED = BatchedEvent(NotificationKind.ESCALATED, "“Stuck” was due 4 days ago")
COMMENTED = BatchedEvent(NotificationKind.COMMENTED, "Bob commented on “Stuck”: soon")


def task(is_open: bool = True, assignee_id: int | None = ASSIGNEE) -> TaskNow:
    return TaskNow("Stuck", "pending", is_open, assignee_id, "Bob")


def test_an_owner_told_of_someone_elses_open_overdue_task_gets_the_escalation():
    assert is_escalation(OWNER, [COMMENTED, ESCALATED], task())
    assert is_escalation(OWNER, [ESCALATED], task(assignee_id=None))


def test_the_activity_email_stays_for_everything_else():
    assert not is_escalation(OWNER, [COMMENTED], task()), "no escalation in the batch"
    assert not is_escalation(OWNER, [ESCALATED], task(is_open=False)), "done since"
    assert not is_escalation(OWNER, [ESCALATED], task(assignee_id=OWNER)), "taken it over"
