"""The route table: every endpoint, who may reach it, and the ids that name team B's objects.

A route added to the app without a row here fails test_every_route_has_a_row, so each new page is
looked at for CSRF, state-changing GETs and cross-team access before it ships.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.world import Team, World

# Who may reach a route: anyone, the holder of a signed link, a logged-in person, a member of
# the object's team, only the object's owner (a person, not a team), an admin, development only.
# API: the REST API, behind a Bearer token (never a cookie, so outside CSRF); its own tests
# (tests/api) try every API route with another team's ids.
PUBLIC, TOKEN, LOGIN, TEAM, OWN, ADMIN, DEV, API = (
    "public",
    "token",
    "login",
    "team",
    "own",
    "admin",
    "dev",
    "api",
)

JOB_NAME = "send-task-reminders"


@dataclass(frozen=True)
class Route:
    access: str
    # URL values naming team B's objects (or, for TOKEN routes, a placeholder token).
    values: Callable[[World], dict[str, Any]] = field(default=lambda world: {})


def team(build: Callable[[Team], dict[str, Any]]) -> Callable[[World], dict[str, Any]]:
    return lambda world: build(world.b)


ROUTES: dict[str, Route] = {
    "static": Route(PUBLIC, lambda world: {"filename": "app.js"}),
    "favicon.icon": Route(PUBLIC),
    "api-docs.openapi_json": Route(PUBLIC),
    "api_docs.page": Route(PUBLIC),
    "api_me.Me": Route(API),
    "api_tasks.ProjectTasks": Route(API, team(lambda t: {"project_id": t.project_id})),
    "api_tasks.OneTask": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_tasks.RestoreTask": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_tasks.CompleteTask": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_tasks.ReopenTask": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_comments.TaskComments": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_task_labels.TaskLabels": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_checklists.Checklist": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_checklists.ChecklistEntry": Route(
        API, team(lambda t: {"task_id": t.task_id, "item_id": t.checklist_item_id})
    ),
    "api_search.Search": Route(API),
    "api_projects.Projects": Route(API),
    "api_projects.ProjectById": Route(API, team(lambda t: {"project_id": t.project_id})),
    "api_projects.Members": Route(API, team(lambda t: {"project_id": t.project_id})),
    "api_labels.ProjectLabels": Route(API, team(lambda t: {"project_id": t.project_id})),
    "api_labels.LabelById": Route(API, team(lambda t: {"label_id": t.label_id})),
    "api_notifications.Notifications": Route(API),
    "api_notifications.MarkOneRead": Route(
        API, team(lambda t: {"notification_id": t.notification_id})
    ),
    "api_notifications.MarkAllRead": Route(API),
    "api_exports.Exports": Route(API),
    "api_exports.ExportById": Route(API, team(lambda t: {"export_id": t.export_id})),
    "api_exports.Download": Route(API, team(lambda t: {"export_id": t.export_id})),
    "api_webhooks.ProjectWebhooks": Route(API, team(lambda t: {"project_id": t.project_id})),
    "api_webhooks.WebhookById": Route(API, team(lambda t: {"webhook_id": t.subscription_id})),
    "api_reminders.TaskReminders": Route(API, team(lambda t: {"task_id": t.task_id})),
    "api_reminders.ReminderById": Route(API, team(lambda t: {"reminder_id": t.reminder_id})),
    "api_recurring.ProjectSeries": Route(API, team(lambda t: {"project_id": t.project_id})),
    "health.healthz": Route(PUBLIC),
    "health.readyz": Route(PUBLIC),
    "health.metrics_page": Route(PUBLIC),
    "auth.login": Route(PUBLIC),
    "auth.register": Route(PUBLIC),
    "auth.logout": Route(LOGIN),
    "account.forgot_password": Route(PUBLIC),
    "account.reset_password": Route(TOKEN, lambda world: {"token": "x"}),
    "account.verify_email": Route(TOKEN, lambda world: {"token": "x"}),
    "account.confirm_email": Route(TOKEN, lambda world: {"token": "x"}),
    "account.resend_verification": Route(LOGIN),
    "account.send_resume_link": Route(LOGIN),
    "account.resume_address": Route(TOKEN, lambda world: {"token": "x"}),
    "account.confirm_resume_address": Route(TOKEN, lambda world: {"token": "x"}),
    "actions.act": Route(TOKEN, lambda world: {"token": "x"}),
    "invitations.show": Route(TOKEN, lambda world: {"token": "x"}),
    "invitations.accept": Route(TOKEN, lambda world: {"token": "x"}),
    "preferences.unsubscribe": Route(TOKEN, lambda world: {"token": "x"}),
    # The calendar feed: the secret token in its URL is the proof; calendar apps have no session.
    "calendar.feed": Route(TOKEN, lambda world: {"token": "x"}),
    "preferences.edit": Route(LOGIN),
    "profile.edit": Route(LOGIN),
    "api_tokens.index": Route(LOGIN),
    "search.index": Route(LOGIN),
    "profile.revoke_other_sessions": Route(LOGIN),
    "dashboard.index": Route(LOGIN),
    "projects.index": Route(LOGIN),
    "projects.new": Route(LOGIN),
    "analytics.mine": Route(LOGIN),
    "analytics.refresh_mine": Route(LOGIN),
    "exports.index": Route(LOGIN),
    "exports.start_mine": Route(LOGIN),
    "inbox.index": Route(LOGIN),
    "inbox.mark_all_read": Route(LOGIN),
    "calendar.my_month": Route(LOGIN),
    "calendar.my_week": Route(LOGIN),
    "calendar.feed_settings": Route(LOGIN),
    # A project and what hangs off it, by project id.
    "projects.edit": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "projects.members": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "projects.remove_member": Route(
        TEAM, team(lambda t: {"project_id": t.project_id, "user_id": t.owner_id})
    ),
    "projects.resend_invitation": Route(
        TEAM, team(lambda t: {"project_id": t.project_id, "invitation_id": t.invitation_id})
    ),
    "projects.revoke_invitation": Route(
        TEAM, team(lambda t: {"project_id": t.project_id, "invitation_id": t.invitation_id})
    ),
    "analytics.project": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "analytics.refresh_project": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "archive.index": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "recurring.index": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "recurring.new": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "tasks.project_tasks": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "board.show": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "quickadd.preview": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "quickadd.save": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "tasks.new": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "exports.start_project": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "webhooks.index": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "calendar.project_month": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "calendar.project_week": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "trash.index": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "trash.delete_project": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "trash.restore_project": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    # Tasks, series, webhooks and their parts, by their own ids.
    "tasks.detail": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "history.task": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "tasks.edit": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "tasks.complete": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "board.move": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "tasks.status": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "archive.restore": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "calendar.move": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "labels.static": Route(PUBLIC, lambda world: {"filename": "labels.js"}),
    "labels.index": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "inbound_project.show": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "inbound_project.turn_on": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "inbound_project.regenerate": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "inbound_project.turn_off": Route(TEAM, team(lambda t: {"project_id": t.project_id})),
    "labels.update": Route(TEAM, team(lambda t: {"label_id": t.label_id})),
    "labels.delete": Route(TEAM, team(lambda t: {"label_id": t.label_id})),
    "labels.set_for_task": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "checklists.add": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "checklists.complete_task": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "checklists.check": Route(TEAM, team(lambda t: {"item_id": t.checklist_item_id})),
    "checklists.edit": Route(TEAM, team(lambda t: {"item_id": t.checklist_item_id})),
    "checklists.move": Route(TEAM, team(lambda t: {"item_id": t.checklist_item_id})),
    "checklists.remove": Route(TEAM, team(lambda t: {"item_id": t.checklist_item_id})),
    "archive.archive_task": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "trash.delete_task": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "trash.restore": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "trash.reopen": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "activity.add_comment": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "activity.add_reminder": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "activity.watch": Route(TEAM, team(lambda t: {"task_id": t.task_id})),
    "activity.edit_comment": Route(TEAM, team(lambda t: {"comment_id": t.comment_id})),
    "recurring.detail": Route(TEAM, team(lambda t: {"series_id": t.series_id})),
    "recurring.edit": Route(TEAM, team(lambda t: {"series_id": t.series_id})),
    "recurring.stop": Route(TEAM, team(lambda t: {"series_id": t.series_id})),
    "webhooks.detail": Route(TEAM, team(lambda t: {"subscription_id": t.subscription_id})),
    "webhooks.delete": Route(TEAM, team(lambda t: {"subscription_id": t.subscription_id})),
    "webhooks.ping": Route(TEAM, team(lambda t: {"subscription_id": t.subscription_id})),
    "webhooks.redeliver": Route(
        TEAM,
        team(
            lambda t: {"subscription_id": t.subscription_id, "delivery_id": t.webhook_delivery_id}
        ),
    ),
    # A person's own things: not even teammates see them.
    "activity.delete_reminder": Route(OWN, team(lambda t: {"reminder_id": t.reminder_id})),
    "exports.show": Route(OWN, team(lambda t: {"export_id": t.export_id})),
    "exports.status": Route(OWN, team(lambda t: {"export_id": t.export_id})),
    "exports.download": Route(OWN, team(lambda t: {"export_id": t.export_id})),
    "exports.retry": Route(OWN, team(lambda t: {"export_id": t.export_id})),
    "inbox.open_one": Route(OWN, team(lambda t: {"notification_id": t.notification_id})),
    "profile.revoke_session": Route(OWN, team(lambda t: {"session_id": t.login_session_id})),
    "api_tokens.revoke_token": Route(OWN, team(lambda t: {"token_id": t.api_token_id})),
    # Administration.
    "admin.deliveries": Route(ADMIN),
    "admin.resend": Route(ADMIN, lambda world: {"delivery_id": world.delivery_id}),
    "admin.outbox": Route(ADMIN),
    "admin.reports": Route(ADMIN),
    "admin.send_reminders": Route(ADMIN),
    "admin.jobs": Route(ADMIN),
    "admin.run_job": Route(ADMIN, lambda world: {"name": JOB_NAME}),
    "admin.pause_job": Route(ADMIN, lambda world: {"name": JOB_NAME}),
    "admin.resume_job": Route(ADMIN, lambda world: {"name": JOB_NAME}),
    "admin.edit_schedule": Route(ADMIN, lambda world: {"name": JOB_NAME}),
    "admin.retry_run": Route(ADMIN, lambda world: {"run_id": world.run_id}),
    "inbound_admin.index": Route(ADMIN),
    # Development only: never registered in production (tests/security/test_production.py).
    "dev_mail.index": Route(DEV),
    "dev_mail.show": Route(DEV, lambda world: {"key": "x"}),
    "dev_mail.reply": Route(DEV, lambda world: {"key": "x"}),
    "dev_mail.bounce": Route(DEV, lambda world: {"key": "x"}),
    "dev_webhooks.index": Route(DEV),
    "dev_webhooks.receive": Route(DEV),
}

# POSTs that take no CSRF token, each with the reason it is safe.
CSRF_EXEMPT = {
    "actions.act": "the signed single-use link is the proof; the mail client has no session",
    "preferences.unsubscribe": "RFC 8058 one-click unsubscribe: the mail client POSTs bare",
    "dev_webhooks.receive": "a machine-to-machine receiver, checked by HMAC signature; dev only",
}

# GETs allowed to change what is stored: the tables they may touch (None: any), and why.
STATE_CHANGING_GETS: dict[str, tuple[frozenset[str] | None, str]] = {
    "analytics.mine": (
        frozenset({"task_runs", "analytics_snapshots"}),
        "the first view queues the cache-filling computation (derived numbers, idempotent); "
        "the job log records it, and a running worker may already have filled the cache",
    ),
    "analytics.project": (
        frozenset({"task_runs", "analytics_snapshots"}),
        "the first view queues the cache-filling computation (derived numbers, idempotent); "
        "the job log records it, and a running worker may already have filled the cache",
    ),
}


def methods(rule: Any) -> set[str]:
    return set(rule.methods) - {"HEAD", "OPTIONS"}


def url_for_rule(rule: Any, values: dict[str, Any]) -> str:
    return rule.build(values, append_unknown=False)[1]


def rules_by_endpoint(app: Any) -> dict[str, Any]:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()}
