"""What a batched activity email tells, read against the task at sending time: pure rules."""

from app.notifications.models import NotificationKind
from app.notifications.rules import BatchedEvent, TaskNow, news_at_sending

BOB, CHANDRA = 2, 3
ASSIGNED = NotificationKind.ASSIGNED
STATUS = NotificationKind.STATUS_CHANGED


def task(status="pending", assignee=BOB, name="Bob Builder", is_open=True) -> TaskNow:
    return TaskNow("Write the post", status, is_open, assignee, name if assignee else None)


def assigned(actor="Ann Lee") -> BatchedEvent:
    return BatchedEvent(ASSIGNED, f"{actor} assigned “Write the post” to you")


def status(before: str | None, after: str | None) -> BatchedEvent:
    return BatchedEvent(STATUS, f"Ann Lee changed “Write the post” to {after}", before, after)


def test_an_assignment_that_still_holds_is_told_once():
    news = news_at_sending(BOB, [assigned(), assigned("Cleo Park")], task())
    assert news == ["Cleo Park assigned “Write the post” to you"]


def test_the_first_assignee_hears_it_was_reassigned_away():
    now = task(assignee=CHANDRA, name="Chandra Rao")
    assert news_at_sending(BOB, [assigned()], now) == [
        "“Write the post” was reassigned to Chandra Rao; it is no longer yours"
    ]
    assert news_at_sending(CHANDRA, [assigned()], now) == [assigned().message]


def test_unassigned_since_says_so():
    assert news_at_sending(BOB, [assigned()], task(assignee=None)) == [
        "“Write the post” is no longer assigned to you"
    ]


def test_a_status_changed_and_changed_back_is_no_news():
    events = [status("pending", "blocked"), status("blocked", "pending")]
    assert news_at_sending(BOB, events, task(status="pending")) == []


def test_of_several_status_changes_the_one_leading_to_now_is_told():
    events = [status("pending", "in_progress"), status("in_progress", "blocked")]
    assert news_at_sending(BOB, events, task(status="blocked")) == [events[1].message]


def test_a_status_moved_on_since_the_batch_is_left_to_its_own_email():
    # Bob himself moved it on (he is never told of his own change): Ann's is stale.
    events = [status("pending", "completed")]
    assert news_at_sending(BOB, events, task(status="in_progress")) == []


def test_status_changes_recorded_without_their_states_are_told_as_they_were():
    events = [status(None, None)]
    assert news_at_sending(BOB, events, task()) == [events[0].message]


def test_deadline_alerts_go_quiet_once_the_task_is_closed_and_the_rest_keep_their_order():
    comment = BatchedEvent(NotificationKind.COMMENTED, "Ann Lee commented on “Write the post”: ok")
    deadline = BatchedEvent(NotificationKind.DEADLINE, "“Write the post” is due soon")
    done = status("pending", "completed")
    events = [deadline, done, comment]
    assert news_at_sending(BOB, events, task(status="completed", is_open=False)) == [
        done.message,
        comment.message,
    ]
    assert news_at_sending(BOB, [deadline, comment], task()) == [
        deadline.message,
        comment.message,
    ]
