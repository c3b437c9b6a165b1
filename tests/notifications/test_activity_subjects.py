"""An activity email's subject and From say what happened and who did it: pure functions."""

from app.notifications.emails import Headline, activity_headline, activity_preheader
from app.notifications.models import NotificationKind
from app.notifications.rules import BatchedEvent, TaskNow, news_items

BOB = 2
TITLE = "Fix login"


def task(status="pending", assignee=BOB, name="Bob Builder", is_open=True) -> TaskNow:
    return TaskNow(TITLE, status, is_open, assignee, name if assignee else None)


def event(kind: NotificationKind, actor: str | None = "Ana", to: str | None = None) -> BatchedEvent:
    return BatchedEvent(kind, f"{actor} did {kind} on “{TITLE}”", None, to, actor)


def headline(events: list[BatchedEvent], now: TaskNow | None = None) -> Headline:
    now = now or task()
    return activity_headline(BOB, news_items(BOB, events, now), now)


def test_an_assignment_names_the_actor_and_the_task():
    assert headline([event(NotificationKind.ASSIGNED)]) == Headline(
        "Ana assigned you “Fix login”", "Ana"
    )


def test_a_reassignment_away_says_who_has_it_now():
    away = task(assignee=7, name="Cleo Park")
    assert headline([event(NotificationKind.ASSIGNED)], away).subject == (
        "“Fix login” was reassigned to Cleo Park"
    )


def test_a_status_change_says_the_new_status():
    changed = BatchedEvent(NotificationKind.STATUS_CHANGED, "…", "pending", "blocked", "Ana")
    assert headline([changed], task(status="blocked")) == Headline(
        "“Fix login” is now Blocked", "Ana"
    )


def test_comments_mentions_and_deadlines_each_have_their_words():
    mentioned = headline([event(NotificationKind.MENTIONED)])
    assert mentioned.subject == "Ana mentioned you on “Fix login”"
    assert headline([event(NotificationKind.COMMENTED)]).subject == "Ana commented on “Fix login”"
    reminder = headline([event(NotificationKind.REMINDER, actor=None)])
    assert reminder == Headline("Reminder: “Fix login”", None), "no person: From is Tickler"
    assert headline([event(NotificationKind.DEADLINE, None)]).subject == (
        "“Fix login” is due within 24 hours"
    )
    assert headline([event(NotificationKind.ESCALATED, None)]).subject == "“Fix login” is overdue"


def test_several_updates_are_counted_and_name_the_actor_only_when_one_person_did_all():
    by_ana = [event(NotificationKind.ASSIGNED), event(NotificationKind.COMMENTED)]
    mixed = [*by_ana, event(NotificationKind.MENTIONED, actor="Cleo")]
    assert headline(by_ana) == Headline("2 updates on “Fix login”", "Ana")
    assert headline(mixed) == Headline("3 updates on “Fix login”", None)


def test_the_subject_counts_only_what_is_still_news():
    # Blocked and back again: no news; the comment alone is told.
    there = BatchedEvent(NotificationKind.STATUS_CHANGED, "…", "pending", "blocked", "Ana")
    back = BatchedEvent(NotificationKind.STATUS_CHANGED, "…", "blocked", "pending", "Ana")
    comment = event(NotificationKind.COMMENTED, actor="Cleo")
    assert headline([there, back, comment]) == Headline("Cleo commented on “Fix login”", "Cleo")


def test_the_preheader_gives_the_project_and_the_lines_and_stays_short():
    assert activity_preheader("Website", ["Ana assigned “Fix login” to you"]) == (
        "Website · Ana assigned “Fix login” to you"
    )
    long = activity_preheader("Website", ["x" * 300])
    assert len(long) == 140 and long.endswith("…")
