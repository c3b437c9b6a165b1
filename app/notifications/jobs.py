"""Emails and in-app notifications: digest chunks, task events, and their batching."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from celery import Task, shared_task
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app import task_catalog as catalog
from app.accounts.models import User
from app.comments import service as comments
from app.comments.models import Comment
from app.core.database import utcnow
from app.core.email import ledger, live_runs, sent_marks
from app.core.email.job_sending import email_job, may_retry, retry_countdown
from app.core.email.lease_heartbeat import lease_kept
from app.core.email.models import DeliveryStatus, EmailKind
from app.core.email.render import absolute_url
from app.core.email.send import (
    SENT,
    OutgoingEmail,
    SendResult,
    delivery_message_id,
    send_batch,
)
from app.core.i18n import in_language
from app.core.mentions import mention_links
from app.core.web.markdown import plain_text
from app.digests.delivery import (
    TURNED_OFF_REASON,
    UNDELIVERABLE_REASON,
    describe_rule,
    digest_rules,
    prepare_chunk,
    retry_pairs,
    settle_chunk,
    tally,
)
from app.digests.emails import compose
from app.extensions import db
from app.inbound.outgoing import envelope_sender
from app.notifications import service as notifications
from app.notifications.emails import (
    EmailComment,
    Headline,
    activity_headline,
    compose_activity,
    compose_escalation,
    first_comment,
    task_extras,
)
from app.notifications.models import Notification, NotificationKind
from app.notifications.rules import (
    BatchedEvent,
    Event,
    TaskNow,
    activity_period,
    activity_reason,
    is_escalation,
    news_items,
)
from app.notifications.service import batched, task_now
from app.preferences import service as email_choices
from app.reminders import deadline_alerts
from app.reminders import service as reminders
from app.tasklist.models import Task as TaskModel
from app.tasklist.models import TaskStatus

log = logging.getLogger(__name__)


@email_job(catalog.SEND_DIGEST_CHUNK.name, max_retries=None)
def send_digest_chunk(self: Task, kind: str, pairs: list[list], now_iso: str) -> dict[str, int]:
    """Claim, render and send one chunk of a digest; retry the transient failures later.

    Each accepted email is marked in Redis at once; a redelivered chunk skips the marked.
    A database error rolls back this chunk only, and the chunk runs again after a backoff:
    what it had already sent is marked, so the rerun sends only the rest."""
    try:
        with live_runs.run_held(db.engine, running_id(self)) as alone:
            if not alone:
                return stand_down(self)
            return _send_digest_chunk(self, kind, pairs, now_iso)
    except DBAPIError as error:
        db.session.rollback()
        countdown = retry_countdown(self.request.retries)
        log.warning(
            "%s chunk %s: database error, again in %.0fs: %s",
            kind,
            self.request.id,
            countdown,
            type(error.orig).__name__,
        )
        raise self.retry(countdown=countdown, exc=error) from error


def _send_digest_chunk(self: Task, kind: str, pairs: list[list], now_iso: str) -> dict[str, int]:
    email_kind, now = EmailKind(kind), datetime.fromisoformat(now_iso)
    wanted = [(int(user_id), str(period)) for user_id, period in pairs]
    lease, grace = lease_settings()
    claimed = ledger.claim(db.session, email_kind, wanted, running_id(self), utcnow(), lease)
    db.session.commit()
    marks = sent_marks.marks_for(current_app.config)
    with lease_kept(db.engine, running_id(self), lease):
        max_rows = current_app.config["DIGEST_MAX_ROWS"]
        ready, empty, off = (
            prepare_chunk(db.session, email_kind, claimed, now, max_rows)
            if claimed
            else ([], [], [])
        )
        results = send_marked(marks, [for_delivery(compose(item), item.claimed) for item in ready])
    rule = digest_rules(current_app.config)[email_kind]
    outcomes = settle_chunk(ready, empty, results, describe_rule(rule), off)
    retry = retry_pairs(claimed, outcomes)
    countdown = retry_countdown(self.request.retries) if retry else 0.0
    # A retrying row is owed again after the countdown: if the retry cannot be published (the
    # broker is down) or is lost, the sweep queues it then.
    ledger.record(db.session, outcomes, utcnow(), countdown, grace)
    db.session.commit()
    marks.forget(o.delivery_id for o in outcomes)
    counts = tally(outcomes)
    log.info("%s chunk %s: %s", kind, self.request.id, counts)
    if retry:
        raise self.retry(args=(kind, retry, now_iso), countdown=countdown)
    return counts


def running_id(job: Task) -> str:
    """This execution's id, the token its claims and lock carry. A worker always sets one; a
    direct call in this process (a script, a test) is a run of its own, with a token to match."""
    if job.request.id is None:
        job.request.id = f"direct-{uuid.uuid4()}"
    return job.request.id


def stand_down(job: Task) -> dict[str, Any]:
    """This execution is a copy of a run still alive (the broker handed the job out again past
    its visibility timeout): the live run sends; a copy sends nothing. Should the live run die
    after all, its rows are owed again once its lease runs out, and the sweep queues them."""
    log.warning(
        "%s %s is already running elsewhere; this copy sends nothing", job.name, job.request.id
    )
    return {"already_running": 1}


def lease_settings() -> tuple[timedelta, timedelta]:
    """How long a claim lives without a heartbeat; how late a queued job may start."""
    config = current_app.config
    return (
        timedelta(seconds=config["DELIVERY_LEASE_SECONDS"]),
        timedelta(seconds=config["DELIVERY_QUEUED_GRACE_SECONDS"]),
    )


def for_delivery(email: OutgoingEmail, claimed: ledger.Claimed) -> OutgoingEmail:
    """The email keyed by its ledger row, with the row's Message-ID on every attempt; with
    inbound mail on, sent from the row's bounce address (VERP), so a bounce names the row."""
    message_id = claimed.message_id or delivery_message_id(claimed.delivery_id)
    return replace(
        email,
        key=claimed.delivery_id,
        message_id=message_id,
        envelope_from=envelope_sender(current_app.config, claimed.delivery_id),
    )


def send_marked(marks: sent_marks.SentMarks, emails: list[OutgoingEmail]) -> list[SendResult]:
    """Send those not marked as sent by an earlier run of this job; mark each as it goes."""
    if not emails:
        return []
    done = marks.already_sent([email.key for email in emails])
    earlier = [SendResult(key, SENT, message_id) for key, message_id in done.items()]
    if earlier:
        log.warning("skipping %d emails an earlier run of this job sent", len(earlier))
    to_send = [email for email in emails if email.key not in done]
    fresh = send_batch(to_send, lambda r: marks.mark(r.key, r.message_id)) if to_send else []
    return earlier + fresh


def _record_and_batch(
    event: Event, detail: str, comment_id: int | None = None
) -> dict[str, object]:
    """Store the event for everyone who hears of it; email them after the batching window."""
    to_email = notifications.record(db.session, event, detail, utcnow(), comment_id)
    db.session.commit()
    delay = current_app.config["NOTIFICATION_BATCH_SECONDS"]
    for user_id in to_email:
        flush_task_notifications.apply_async((user_id, event.task_id), countdown=delay)
    return {"task_id": event.task_id, "kind": event.kind.value, "emailed": to_email}


@shared_task(name=catalog.SEND_TASK_ASSIGNMENT_NOTIFICATION.name)
def send_task_assignment_notification(
    task_id: int, actor_id: int | None, assignee_id: int | None = None
) -> dict[str, object]:
    """Tell the new assignee (`assignee_id`, else whoever has the task now), unless they
    assigned it to themselves."""
    addressed = frozenset({assignee_id}) if assignee_id is not None else frozenset()
    return _record_and_batch(Event(NotificationKind.ASSIGNED, task_id, actor_id, addressed), "")


@shared_task(name=catalog.NOTIFY_TASK_STATUS_UPDATE.name)
def notify_task_status_update(
    task_id: int, actor_id: int | None, new_status: str, old_status: str | None = None
) -> dict[str, object]:
    """Tell the creator, the assignee and the watchers that the status changed.

    `old_status` lets the batched email leave out a change undone within the window."""
    label = TaskStatus(new_status).label.lower()
    event = Event(
        NotificationKind.STATUS_CHANGED,
        task_id,
        actor_id,
        status_from=old_status,
        status_to=new_status,
    )
    return _record_and_batch(event, label)


@shared_task(name=catalog.SEND_COMMENT_MENTION_NOTIFICATION.name)
def send_comment_mention_notification(comment_id: int) -> dict[str, object]:
    """Tell those the comment mentions, and everyone else involved in the task, of a comment."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        return {"comment_id": comment_id, "missing": True}
    # The inbox line and the email's event line read the words, not the Markdown marks.
    task_id, actor_id = comment.task_id, comment.author_id
    excerpt = shorten(plain_text(comment.body))
    mentioned = frozenset(comments.mentioned_in(db.session, comment))
    return {
        "mentioned": _record_and_batch(
            Event(NotificationKind.MENTIONED, task_id, actor_id, mentioned), excerpt, comment_id
        ),
        "commented": _record_and_batch(
            Event(NotificationKind.COMMENTED, task_id, actor_id, mentioned), excerpt, comment_id
        ),
    }


@email_job(catalog.FLUSH_TASK_NOTIFICATIONS.name)
def flush_task_notifications(self: Task, user_id: int, task_id: int) -> dict[str, object]:
    """Email one person everything that happened to one task since their last such email,
    told as the task is when the email is sent."""
    with live_runs.run_held(db.engine, running_id(self)) as alone:
        if not alone:
            return stand_down(self)
        return _flush_task_notifications(self, user_id, task_id)


def _flush_task_notifications(self: Task, user_id: int, task_id: int) -> dict[str, object]:
    claimed_batch = notifications.claim_for_email(db.session, user_id, task_id, utcnow())
    # Read before any commit expires the rows, so no statement is made per event.
    batch = read_batch(claimed_batch) if claimed_batch else None
    user = db.session.get(User, user_id)
    if batch is None or user is None or not user.is_active:
        db.session.commit()
        return {"sent": 0}
    if not user.can_be_emailed:
        # The address bounced for good since the events were queued: the ledger says so.
        return _skip_batch(self, user_id, batch, UNDELIVERABLE_REASON)
    # Access is checked again at sending time: whoever left the team in the batching window
    # gets nothing about its tasks (the claimed events stay marked, so none is sent later).
    if not notifications.can_see(db.session, {(user_id, task_id)}):
        db.session.commit()
        return {"sent": 0, "reason": "no access"}
    # The choices are read again now, in one statement: an event whose kind (or whose project's
    # task emails) the person turned off in the batching window is not emailed.
    off = email_choices.emails_turned_off(
        db.session, {user_id}, {e.kind.value for e in batch.events}, {batch.task.project_id}
    ).get(user_id, set())
    wanted = [
        e
        for e in batch.events
        if not email_choices.is_turned_off(off, e.kind.value, batch.task.project_id)
    ]
    if not wanted:
        return _skip_turned_off(self, user_id, batch)
    # Events undone within the window are no news; a reassignment away is. Told in the
    # recipient's language (their row is loaded; the stored lines were written in it).
    with in_language(user.language):
        items = news_items(user_id, wanted, batch.task_now)
    news = [line for _, line in items]
    if not news:
        db.session.commit()
        return {"sent": 0, "reason": "no news"}

    # The ledger row says what went out and why; a redelivered job finds it already sent.
    # The events and their row are taken in one transaction, the row naming the events: a
    # worker dying from here on leaves a claim whose lease runs out, and the sweep gives the
    # events back (owed_work.orphaned_activity) instead of leaving them taken for ever.
    lease, grace = lease_settings()
    claimed = claim_batch_row(self, user_id, batch, lease)
    reason = {**batch.reason, "events": news}
    if claimed:
        ledger.note_reason(db.session, claimed[0].delivery_id, reason)
    db.session.commit()
    if not claimed:
        return {"sent": 0, "already": True}
    marks = sent_marks.marks_for(current_app.config)
    with in_language(user.language):
        headline = activity_headline(user_id, items, batch.task_now)
    kinds = {e.kind.value for e in wanted}
    email = for_delivery(compose_for(user, batch, news, headline, kinds), claimed[0])
    with lease_kept(db.engine, running_id(self), lease):
        [result] = send_marked(marks, [email])
    outcome = ledger.outcome_for(
        claimed[0], result.outcome, result.message_id, result.error, reason, result.tried
    )
    if outcome.status == DeliveryStatus.RETRYING and may_retry(self):
        # Give the events back, so ones arriving meanwhile join the retried email (and the
        # sweep finds them waiting if the retry is lost).
        notifications.release(db.session, batch.ids)
        countdown = retry_countdown(self.request.retries)
        ledger.record(db.session, [outcome], utcnow(), countdown, grace)
        db.session.commit()
        raise self.retry(countdown=countdown)
    if outcome.status == DeliveryStatus.RETRYING:
        outcome = replace(outcome, status=DeliveryStatus.FAILED)
    ledger.record(db.session, [outcome], utcnow())
    db.session.commit()
    marks.forget([outcome.delivery_id])
    if outcome.status != DeliveryStatus.SENT:
        log.error("%s to user %s failed: %s", self.name, user_id, result.error)
    return {"sent": len(batch.ids) if result.outcome == SENT else 0, "error": result.error}


def compose_for(
    user: User, batch: ReadBatch, news: list[str], headline: Headline, kinds: set[str]
) -> OutgoingEmail:
    """A project owner's escalation of someone else's task gets its own email; all else the
    activity email, its subject and From from `headline`, its unsubscribe link for `kinds`."""
    extras = task_extras(db.session, batch.task.id)
    if is_escalation(user.id, batch.events, batch.task_now):
        return compose_escalation(user, batch.task, news, utcnow(), extras)
    return compose_activity(
        user,
        batch.task,
        news,
        batch.anchor,
        headline,
        kinds,
        comments=batch.shown_comments,
        extras=extras,
    )


def claim_batch_row(
    job: Task, user_id: int, batch: ReadBatch, lease: timedelta
) -> list[ledger.Claimed]:
    """Claim the ledger row of `user_id`'s activity email for `batch`'s period, for `job`."""
    return ledger.claim(
        db.session,
        EmailKind.TASK_ACTIVITY,
        [(user_id, batch.period)],
        running_id(job),
        utcnow(),
        lease,
    )


def _skip_turned_off(self: Task, user_id: int, batch: ReadBatch) -> dict[str, object]:
    """Every event of the batch is of a kind the person turned off before sending: nothing is
    sent, and the ledger keeps a skipped row saying so (the events stay taken)."""
    return _skip_batch(self, user_id, batch, TURNED_OFF_REASON)


def _skip_batch(
    self: Task, user_id: int, batch: ReadBatch, why: dict[str, str]
) -> dict[str, object]:
    """Nothing of the batch is sent, for `why`; the ledger keeps a skipped row saying so."""
    lease, _ = lease_settings()
    claimed = claim_batch_row(self, user_id, batch, lease)
    reason = {
        **batch.reason,
        **why,
        "kinds": sorted({e.kind.value for e in batch.events}),
    }
    ledger.record(
        db.session, [replace(ledger.skipped(c), reason=reason) for c in claimed], utcnow()
    )
    db.session.commit()
    return {"sent": 0, "reason": "turned off" if why is TURNED_OFF_REASON else why["skipped"]}


@dataclass(frozen=True)
class ReadBatch:
    """A claimed batch as plain values, read before a commit expires the rows."""

    ids: list[int]
    events: list[BatchedEvent]
    task: TaskModel
    task_now: TaskNow
    period: str
    reason: dict
    anchor: str | None
    shown_comments: list[EmailComment]


def read_batch(batch: list[Notification]) -> ReadBatch:
    """Everything the email needs from the claimed rows, so no statement is made per event."""
    task = batch[0].task
    assert task is not None  # the batch is this task's notifications
    return ReadBatch(
        [n.id for n in batch],
        [batched(n) for n in batch],
        task,
        task_now(task),
        activity_period(batch),
        activity_reason(batch),
        first_comment(batch),
        comments_of(batch),
    )


def comments_of(batch: list[Notification]) -> list[EmailComment]:
    """The comments the batch's events are about, oldest first, each once, with links for
    their @mentions: two statements, however many comments."""
    ids = {n.comment_id for n in batch if n.comment_id is not None}
    if not ids:
        return []
    rows = db.session.execute(
        select(Comment.body, User.name)
        .join(User, User.id == Comment.author_id)
        .where(Comment.id.in_(ids))
        .order_by(Comment.created_at, Comment.id)
    )
    project_id = batch[0].task.project_id if batch[0].task else None
    links = mention_links_for_email(project_id) if project_id is not None else {}
    return [EmailComment(author=name, body=body, mentions=links) for body, name in rows]


def mention_links_for_email(project_id: int) -> dict[str, str]:
    """{handle: absolute link to the person's tasks in the project}, as the task page links
    a mention (app/history/template_globals.py), but absolute for a mail program."""
    return mention_links(
        comments.project_members(db.session, project_id),
        lambda user_id: absolute_url(
            "tasks.project_tasks", project_id=project_id, assignee=user_id
        ),
    )


@shared_task(name=catalog.SEND_REMINDER_NOTIFICATIONS.name)
def send_reminder_notifications() -> dict[str, int]:
    """Fire every task reminder whose time has come, once each, straight to its owner."""
    now = utcnow()
    due = reminders.claim_due(db.session, now)
    to_email = notifications.record_reminders(db.session, due, now)
    db.session.commit()
    for user_id, task_id in to_email:
        flush_task_notifications.delay(user_id, task_id)
    return {"fired": len(due), "emailed": len(to_email)}


@shared_task(name=catalog.CHECK_TASK_DEADLINES.name)
def check_task_deadlines() -> dict[str, int]:
    """Alert assignees who chose per-task alerts as each task enters its last 24 hours, and
    tell project owners, once, of tasks overdue for OVERDUE_ESCALATE_DAYS."""
    now = utcnow()
    alerts = deadline_alerts.claim_deadline_alerts(db.session, now)
    late = deadline_alerts.claim_escalations(
        db.session, now, current_app.config["OVERDUE_ESCALATE_DAYS"]
    )
    to_email = notifications.record_addressed(
        db.session, NotificationKind.DEADLINE, alerts, now
    ) + notifications.record_addressed(db.session, NotificationKind.ESCALATED, late, now)
    db.session.commit()
    for user_id, task_id in to_email:
        flush_task_notifications.delay(user_id, task_id)
    return {"deadline_alerts": len(alerts), "escalations": len(late), "emailed": len(to_email)}


@shared_task(name=catalog.CLEANUP_EXPIRED_NOTIFICATIONS.name)
def cleanup_expired_notifications() -> dict[str, int]:
    """Delete inbox entries older than NOTIFICATION_RETENTION_DAYS (90)."""
    days = current_app.config["NOTIFICATION_RETENTION_DAYS"]
    deleted = notifications.delete_older_than(db.session, utcnow() - timedelta(days=days))
    db.session.commit()
    return {"deleted": deleted}


def shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
