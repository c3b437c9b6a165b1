"""The names of the emails under test, known before any is rendered, for parametrize."""

from __future__ import annotations

SMALL = [
    "task_reminder",
    "overdue_alert",
    "weekly_summary",
    "daily_report",
    "task_activity",
    "task_escalation",
    "export_ready",
    "password_changed",
    "password_reset",
    "email_verification",
    "already_registered",
    "address_resume",
    "project_invitation_member",
    "project_invitation_newcomer",
    "inbound_refused_link",
    "inbound_refused",
]
# One person with 500 tasks due soon and 500 overdue.
CROWDED = ["task_reminder_500", "overdue_alert_500", "weekly_summary_500"]
# With inbound mail on: a task email's reply footer, a digest's "Reply by email" links.
INBOUND = [
    "task_activity_inbound",
    "task_escalation_inbound",
    "task_reminder_inbound",
    "weekly_summary_inbound",
    "overdue_alert_500_inbound",
]
EMAIL_NAMES = SMALL + CROWDED + INBOUND
