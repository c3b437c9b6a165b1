"""The dashboard: my tasks by deadline, and counts by status."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.checklists.queries import progress_for_tasks
from app.core.database import utcnow
from app.extensions import db
from app.labels.queries import labels_for_tasks
from app.tasklist.deadlines import bucket_by_deadline, local_week
from app.tasklist.service import open_tasks_assigned_to, status_counts_for_assignee

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index() -> str:
    now = utcnow()
    open_tasks = open_tasks_assigned_to(db.session, current_user.id)
    buckets = bucket_by_deadline(open_tasks, now, current_user.timezone)
    counts = status_counts_for_assignee(db.session, current_user.id)
    ids = [task.id for task in open_tasks]
    return render_template(
        "dashboard/index.html",
        buckets=buckets,
        counts=counts,
        open_count=len(open_tasks),
        now=now,
        week=local_week(now, current_user.timezone),
        task_labels=labels_for_tasks(db.session, ids),
        task_progress=progress_for_tasks(db.session, ids),
    )
