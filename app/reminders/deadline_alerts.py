"""Per-task deadline alerts and escalations: claimed atomically, so each goes out once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.core.database import DbSession
from app.preferences.models import PER_TASK_ALERTS, EmailChoice
from app.projects.models import Project
from app.tasklist.deadlines import DUE_SOON_WINDOW
from app.tasklist.models import Task, TaskStatus, in_use


def _open_task():
    return (Task.status != TaskStatus.COMPLETED) & in_use()


def claim_deadline_alerts(session: DbSession, now: datetime) -> list[tuple[int, int]]:
    """(task id, assignee id) for each task that entered its last 24 hours and whose assignee
    wants per-task alerts, marked so the same due date never alerts twice."""
    per_task = (
        select(EmailChoice.user_id)
        .join(User, User.id == EmailChoice.user_id)
        .where(
            EmailChoice.kind == PER_TASK_ALERTS,
            EmailChoice.project_id.is_(None),
            EmailChoice.enabled.is_(True),
            User.can_be_emailed,
        )
    )
    rows = session.execute(
        update(Task)
        .where(
            _open_task(),
            Task.due_at >= now,
            Task.due_at < now + DUE_SOON_WINDOW,
            Task.assignee_id.in_(per_task),
            (Task.deadline_alert_for.is_(None)) | (Task.deadline_alert_for != Task.due_at),
        )
        .values(deadline_alert_for=Task.due_at)
        .returning(Task.id, Task.assignee_id)
    )
    return [(task_id, assignee_id) for task_id, assignee_id in rows if assignee_id is not None]


def claim_escalations(session: DbSession, now: datetime, after_days: int) -> list[tuple[int, int]]:
    """(task id, project owner id) for each open task overdue by `after_days`, marked once."""
    rows = session.execute(
        update(Task)
        .where(
            _open_task(),
            Task.due_at < now - timedelta(days=after_days),
            Task.escalated_at.is_(None),
        )
        .values(escalated_at=now)
        .returning(Task.id, Task.project_id, Task.assignee_id)
    ).all()
    if not rows:
        return []
    owners = dict(
        session.execute(
            select(Project.id, Project.owner_id).where(Project.id.in_({r.project_id for r in rows}))
        ).all()
    )
    # An owner who is the assignee already hears of it through their own alerts.
    return [
        (row.id, owners[row.project_id])
        for row in rows
        if owners.get(row.project_id) not in (None, row.assignee_id)
    ]
