"""A project's archive: tasks archived by hand or by the cleanup job, readable and restorable."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.projects.access import load_project
from app.tasklist import cleanup
from app.tasklist.access import load_task

bp = Blueprint("archive", __name__)


@bp.route("/projects/<int:project_id>/archive")
@login_required
def index(project_id: int) -> str:
    project = load_project(project_id)
    return render_template(
        "tasks/archive.html", project=project, tasks=cleanup.archived_tasks(db.session, project.id)
    )


@bp.route("/task/<int:task_id>/archive", methods=["POST"])
@login_required
def archive_task(task_id: int) -> Response:
    """Archive a completed task by hand; it stays readable and restorable in the archive."""
    task = load_task(task_id)
    try:
        cleanup.archive_task(db.session, task, actor_id=current_user.id, now=utcnow())
    except RuleViolation as error:
        flash(str(error), "info")
        return redirect(url_for("tasks.detail", task_id=task.id))
    db.session.commit()
    flash(gettext("“%(title)s” is archived.", title=task.title), "success")
    return redirect(url_for("archive.index", project_id=task.project_id))


@bp.route("/task/<int:task_id>/restore", methods=["POST"])
@login_required
def restore(task_id: int) -> Response:
    task = load_task(task_id)
    try:
        cleanup.restore(db.session, task, actor_id=current_user.id)
    except RuleViolation as error:
        flash(str(error), "info")
    else:
        db.session.commit()
        flash(
            gettext("“%(title)s” is back in the project's task list.", title=task.title), "success"
        )
    return redirect(url_for("tasks.detail", task_id=task.id))
