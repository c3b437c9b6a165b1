"""Every Celery task in one place: its fixed name, the queue it goes to, and how urgent it is.

The `@shared_task(name=...)` of each job, the beat schedule (app/schedule.py) and the routing
(app/extensions.py) all read these constants, so a name is written once. The names are the
user's guide's and never change: queued messages and beat entries carry them. This module
imports nothing of Tickler's, so anything (config included) may read it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Urgency = Literal["high", "normal", "low"]


@dataclass(frozen=True)
class TaskEntry:
    """One task: the name Celery registers it under, its queue and its urgency in that queue."""

    name: str
    queue: str
    urgency: Urgency


def _entry(module: str, function: str, queue: str, urgency: Urgency) -> TaskEntry:
    return TaskEntry(f"app.tasks.{module}.{function}", queue, urgency)


# Quick, person-facing changes and upkeep.
UPDATE_TASK_STATUS = _entry("task_management", "update_task_status", "default", "high")
GENERATE_TASK_REPORT = _entry("task_management", "generate_task_report", "default", "normal")
CLEANUP_COMPLETED_TASKS = _entry("task_management", "cleanup_completed_tasks", "default", "low")
PURGE_TRASH = _entry("task_management", "purge_trash", "default", "low")
CLEANUP_EXPIRED_NOTIFICATIONS = _entry(
    "notifications", "cleanup_expired_notifications", "default", "low"
)
DEMO_PING = _entry("demo_tasks", "ping", "default", "high")
DEMO_ADD = _entry("demo_tasks", "add", "default", "normal")
DEMO_FLAKY = _entry("demo_tasks", "flaky", "default", "normal")
DEMO_FAIL = _entry("demo_tasks", "fail", "default", "normal")
DEMO_DB_PING = _entry("demo_tasks", "db_ping", "default", "normal")
DEMO_SLOW_ADD = _entry("demo_tasks", "slow_add", "default", "normal")
# Deciding who is due a reminder, digest or deadline alert (they fan out to notifications).
SEND_TASK_REMINDERS = _entry("task_management", "send_task_reminders", "reminders", "normal")
FETCH_AND_PRINT_OVERDUE_TASKS = _entry(
    "task_management", "fetch_and_print_overdue_tasks", "reminders", "normal"
)
SEND_WEEKLY_SUMMARY_EMAIL = _entry(
    "task_management", "send_weekly_summary_email", "reminders", "normal"
)
SEND_REMINDER_NOTIFICATIONS = _entry(
    "notifications", "send_reminder_notifications", "reminders", "normal"
)
CHECK_TASK_DEADLINES = _entry("notifications", "check_task_deadlines", "reminders", "normal")
# Sending email.
SEND_ACCOUNT_EMAIL = _entry("accounts", "send_account_email", "notifications", "high")
SEND_PASSWORD_RESET_TO_ADDRESS = _entry(
    "accounts", "send_password_reset_to_address", "notifications", "high"
)
SEND_PROJECT_INVITATION = _entry("accounts", "send_project_invitation", "notifications", "high")
SEND_DIGEST_CHUNK = _entry("notifications", "send_digest_chunk", "notifications", "normal")
SEND_TASK_ASSIGNMENT_NOTIFICATION = _entry(
    "notifications", "send_task_assignment_notification", "notifications", "normal"
)
NOTIFY_TASK_STATUS_UPDATE = _entry(
    "notifications", "notify_task_status_update", "notifications", "normal"
)
SEND_COMMENT_MENTION_NOTIFICATION = _entry(
    "notifications", "send_comment_mention_notification", "notifications", "normal"
)
FLUSH_TASK_NOTIFICATIONS = _entry(
    "notifications", "flush_task_notifications", "notifications", "normal"
)
# Inbound mail.
POLL_INBOUND_MAIL = _entry("inbound_mail", "poll_inbound_mail", "default", "normal")
# Recurring tasks.
PROCESS_RECURRING_TASKS = _entry("recurring", "process_recurring_tasks", "recurring", "normal")
UPDATE_RECURRING_TASK_TEMPLATE = _entry(
    "recurring", "update_recurring_task_template", "recurring", "high"
)
CLEANUP_COMPLETED_RECURRING_INSTANCES = _entry(
    "recurring", "cleanup_completed_recurring_instances", "recurring", "low"
)
# Webhooks.
DELIVER_WEBHOOK = _entry("webhooks", "deliver_webhook", "webhooks", "normal")
RETRY_FAILED_WEBHOOKS = _entry("webhooks", "retry_failed_webhooks", "webhooks", "normal")
CLEANUP_OLD_WEBHOOK_DELIVERIES = _entry(
    "webhooks", "cleanup_old_webhook_deliveries", "webhooks", "low"
)
# Analytics.
COMPUTE_PROJECT_ANALYTICS = _entry("analytics", "compute_project_analytics", "analytics", "low")
COMPUTE_USER_ANALYTICS = _entry("analytics", "compute_user_analytics", "analytics", "low")
PRECOMPUTE_ANALYTICS = _entry("analytics", "precompute_analytics", "analytics", "low")
# Exports.
EXPORT_TASKS_ASYNC = _entry("exports", "export_tasks_async", "exports", "normal")
CLEANUP_EXPIRED_EXPORTS = _entry("exports", "cleanup_expired_exports", "exports", "low")
SEND_EXPORT_READY = _entry("exports", "send_export_ready", "notifications", "normal")
# Inbound mail.
SEND_INBOUND_ANSWER = _entry("inbound_mail", "send_inbound_answer", "notifications", "high")
# Tickler's own records.
CLEANUP_OLD_TASK_RUNS = _entry("operations", "cleanup_old_task_runs", "default", "low")
FLUSH_PENDING_JOBS = _entry("operations", "flush_pending_jobs", "default", "high")
SWEEP_OWED_WORK = _entry("operations", "sweep_owed_work", "default", "high")

# Every task, in the order above (the queues are listed in the order they first appear).
CATALOG: tuple[TaskEntry, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, TaskEntry)
)
# The routing table: task name -> (queue, urgency); app/extensions.py gives it to Celery.
# Queues let operators give each kind of work its own workers (`make worker QUEUES=...`);
# urgency orders messages within a queue where the broker supports priorities.
TASK_ROUTING: dict[str, tuple[str, Urgency]] = {
    entry.name: (entry.queue, entry.urgency) for entry in CATALOG
}
