"""Webhook subscriptions and their deliveries: written in the change's transaction, queued after
its commit through the core outbox."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.comments.models import Comment
from app.core.database import DbSession, utcnow
from app.core.errors import NotFound, RuleViolation
from app.core.events import TaskChanged, TaskCreated
from app.core.queueing import after_commit
from app.labels.queries import LabelView, labels_for_tasks
from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus
from app.webhooks.jobs import deliver_webhook
from app.webhooks.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookStatus, WebhookSubscription
from app.webhooks.signing import new_secret
from app.webhooks.url_safety import Resolver, check_url, system_resolver

PING = "ping"


@dataclass(frozen=True)
class Event:
    project_id: int
    name: str
    data: dict[str, Any]


def check_events(events: list[str]) -> str:
    chosen = [event for event in WEBHOOK_EVENTS if event in events]
    if not chosen or len(chosen) != len(set(events)):
        raise RuleViolation(gettext("Choose one or more events from the list."))
    return " ".join(chosen)


def create_subscription(
    session: DbSession,
    *,
    project: Project,
    creator: User,
    url: str,
    events: list[str],
    allowed_hosts: frozenset[str],
    resolve: Resolver = system_resolver,
) -> WebhookSubscription:
    check_url(url, allowed_hosts, resolve)
    subscription = WebhookSubscription(
        project_id=project.id,
        created_by_id=creator.id,
        url=url.strip(),
        secret=new_secret(),
        events=check_events(events),
        active=True,
    )
    session.add(subscription)
    session.flush()
    return subscription


def update_subscription(
    subscription: WebhookSubscription,
    *,
    url: str,
    events: list[str],
    active: bool,
    allowed_hosts: frozenset[str],
    resolve: Resolver = system_resolver,
) -> None:
    check_url(url, allowed_hosts, resolve)
    subscription.url = url.strip()
    subscription.events = check_events(events)
    subscription.active = active


def subscriptions_of(session: DbSession, project_id: int) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.project_id == project_id)
            .order_by(WebhookSubscription.id)
        )
    )


def get_subscription(session: DbSession, subscription_id: int) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(f"webhook {subscription_id}")
    return subscription


def record_events(session: DbSession, events: list[Event], now: datetime) -> list[WebhookDelivery]:
    """One pending delivery per event and subscribed hook, in the caller's transaction.

    Written with the change itself, so a committed change always has its deliveries and a
    rolled-back one never does; one query for the subscriptions, however many events."""
    if not events:
        return []
    subscriptions = session.scalars(
        select(WebhookSubscription).where(
            WebhookSubscription.project_id.in_({event.project_id for event in events}),
            WebhookSubscription.active.is_(True),
        )
    ).all()
    deliveries = [
        new_delivery(subscription, event.name, event.data, now)
        for event in events
        for subscription in subscriptions
        if subscription.project_id == event.project_id and event.name in subscription.event_list
    ]
    return _stage(session, deliveries)


def record_event(session: DbSession, project_id: int, name: str, data: dict, now: datetime) -> None:
    record_events(session, [Event(project_id, name, data)], now)


def record_ping(session: DbSession, subscription: WebhookSubscription, now: datetime) -> None:
    data = {"message": "A test ping from Tickler.", "events": subscription.event_list}
    _stage(session, [new_delivery(subscription, PING, data, now)])


def redeliver(session: DbSession, delivery: WebhookDelivery, now: datetime) -> WebhookDelivery:
    """A fresh delivery of the same event: same body and event id, a new row in the log."""
    again = WebhookDelivery(
        subscription_id=delivery.subscription_id,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        status=WebhookStatus.PENDING,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    return _stage(session, [again])[0]


def new_delivery(
    subscription: WebhookSubscription, event: str, data: dict, now: datetime
) -> WebhookDelivery:
    event_id = str(uuid.uuid4())
    body = {
        "id": event_id,
        "event": event,
        "created_at": now.isoformat(),
        "project": {"id": subscription.project_id},
        "data": data,
    }
    return WebhookDelivery(
        subscription_id=subscription.id,
        event=event,
        event_id=event_id,
        payload=json.dumps(body, separators=(",", ":"), sort_keys=True),
        status=WebhookStatus.PENDING,
        attempts=0,
        created_at=now,
        updated_at=now,
    )


def _stage(session: DbSession, deliveries: list[WebhookDelivery]) -> list[WebhookDelivery]:
    """Write the deliveries in the caller's transaction and queue each once it commits; if
    the broker is down then, the outbox keeps the job and retry_failed_webhooks finds the row."""
    if deliveries:
        session.add_all(deliveries)
        session.flush()
        for delivery in deliveries:
            after_commit(session, deliver_webhook, delivery.id)
    return deliveries


def task_event_names(event: TaskCreated | TaskChanged) -> list[str]:
    """Which webhook events a task's creation or change makes (pure)."""
    if isinstance(event, TaskCreated):
        return created_event_names(event.task.assignee_id)
    if not event.changed:
        return []
    names = ["task.updated"]
    if "assignee_id" in event.changed and event.after.assignee_id is not None:
        names.append("task.assigned")
    if "status" in event.changed and event.after.status == TaskStatus.COMPLETED:
        names.append("task.completed")
    return names


def created_event_names(assignee_id: int | None) -> list[str]:
    return ["task.created"] + (["task.assigned"] if assignee_id else [])


def record_task_event(session: DbSession, task: Task, event: TaskCreated | TaskChanged) -> None:
    """Record the webhook events of one task's creation or change, with the task as it is now."""
    names = task_event_names(event)
    if names:
        # A new task has no labels yet (they are set after it, as a change): no query then.
        labels = [] if isinstance(event, TaskCreated) else labels_of(session, task.id)
        data = task_data(task, labels)
        record_events(session, [Event(task.project_id, name, data) for name in names], utcnow())


def record_tasks_created(session: DbSession, task_ids: list[int]) -> None:
    """task.created (and task.assigned) for tasks made in bulk, e.g. recurring occurrences."""
    if not task_ids or not _any_subscription(session):
        return
    tasks = session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    events = [
        Event(task.project_id, name, task_data(task, []))
        for task in tasks
        for name in created_event_names(task.assignee_id)
    ]
    record_events(session, events, utcnow())


def record_comment(session: DbSession, comment: Comment, project_id: int) -> None:
    record_events(session, [Event(project_id, "comment.created", comment_data(comment))], utcnow())


def _any_subscription(session: DbSession) -> bool:
    return session.scalar(select(WebhookSubscription.id).limit(1)) is not None


def base_url() -> str:
    return current_app.config["APP_BASE_URL"].rstrip("/") if has_app_context() else ""


def labels_of(session: DbSession, task_id: int) -> list[LabelView]:
    return labels_for_tasks(session, [task_id]).get(task_id, [])


def record_labels_changed(session: DbSession, task: Task) -> None:
    """task.updated when a task's labels change, with the labels it has now."""
    data = task_data(task, labels_of(session, task.id))
    record_events(session, [Event(task.project_id, "task.updated", data)], utcnow())


def task_data(task: Task, labels: list[LabelView]) -> dict[str, Any]:
    """What a task event says about the task: ids and names, no email addresses. The same
    fields as the API's TaskSchema (the OpenAPI document's `webhooks` say so and a test checks
    it), in the same formats, so a receiver can parse both with one model."""
    return {
        "task": {
            "id": task.id,
            "creator_id": task.creator_id,
            "created_at": _iso(task.created_at),
            "updated_at": _iso(task.updated_at),
            "title": task.title,
            "description": task.description,
            "status": task.status.value,
            "priority": task.priority.value,
            "due_at": task.due_at.isoformat() if task.due_at else None,
            "completed_at": task.completed_at.isoformat() if task.completed_at else None,
            "assignee_id": task.assignee_id,
            "project_id": task.project_id,
            "series_id": task.series_id,
            "labels": [
                {"id": label.id, "name": label.name, "color": label.color} for label in labels
            ],
            "url": f"{base_url()}/task/{task.id}",
        }
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "comment": {
            "id": comment.id,
            "task_id": comment.task_id,
            "author_id": comment.author_id,
            "body": comment.body,
            "created_at": comment.created_at.isoformat() if comment.created_at else None,
            "url": f"{base_url()}/task/{comment.task_id}#comment-{comment.id}",
        }
    }


def delivery_counts(session: DbSession, subscription_ids: list[int]) -> dict[int, dict[str, int]]:
    """Deliveries per hook and status, for the list page, in one grouped query."""
    counts: dict[int, dict[str, int]] = {sid: {} for sid in subscription_ids}
    rows = session.execute(
        select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count())
        .where(WebhookDelivery.subscription_id.in_(subscription_ids))
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
    )
    for subscription_id, status, count in rows:
        counts[subscription_id][status.value] = count
    return counts
