"""The names of the emails under test, known before any is rendered, for parametrize."""

from __future__ import annotations

import pytest

SMALL = [
    "task_reminder",
    "overdue_alert",
    "weekly_summary",
    "daily_report",
    "task_activity",
    "password_reset",
    "email_verification",
    "already_registered",
    "project_invitation_member",
    "project_invitation_newcomer",
]
# One person with 500 tasks due soon and 500 overdue.
CROWDED = ["task_reminder_500", "overdue_alert_500", "weekly_summary_500"]
EMAIL_NAMES = SMALL + CROWDED


def bounded_elsewhere(names: list[str], failing: set[str]) -> list:
    """`names` as parameters, those in `failing` marked xfail: keeping 500-task digests small
    (and so their spam score) is the e-size branch's work; strict=False lets it pass there."""
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(reason="bounded by the e-size branch", strict=False),
        )
        if name in failing
        else name
        for name in names
    ]
