"""A batched activity email reads the task at sending time in a fixed number of statements."""

from __future__ import annotations

from app.core.database import utcnow
from app.extensions import db
from app.notifications.jobs import flush_task_notifications
from app.notifications.models import Notification, NotificationKind


def add_events(app, user_id: int, task_id: int, count: int) -> None:
    kinds = [NotificationKind.ASSIGNED, NotificationKind.STATUS_CHANGED, NotificationKind.COMMENTED]
    with app.app_context():
        for n in range(count):
            kind = kinds[n % len(kinds)]
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind.value,
                    task_id=task_id,
                    message=f"event {n}",
                    created_at=utcnow(),
                    email_wanted=True,
                    status_from="pending" if kind == NotificationKind.STATUS_CHANGED else None,
                    status_to="blocked" if kind == NotificationKind.STATUS_CHANGED else None,
                )
            )
        db.session.commit()


def flush_statements(app, count_queries, user_id: int, task_id: int) -> tuple[int, dict]:
    with count_queries() as statements:
        result = flush_task_notifications.apply(args=(user_id, task_id)).get()
    return len(statements), result


def test_a_batch_of_one_event_or_twelve_costs_the_same_statements(app, make, smtp, count_queries):
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(ann, members=(bob,))
    one, many = (make.task(project, ann, title=t, assignee_id=bob) for t in ("One", "Many"))
    add_events(app, bob, one, 1)
    add_events(app, bob, many, 12)

    few_statements, few = flush_statements(app, count_queries, bob, one)
    many_statements, lots = flush_statements(app, count_queries, bob, many)
    assert few["sent"] == 1 and lots["sent"] == 12
    # The task's state and every event come with the claim: no statement per event.
    assert many_statements == few_statements
    assert len(smtp.wait_for(2)) == 2
