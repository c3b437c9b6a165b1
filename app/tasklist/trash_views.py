"""Trash: delete and restore tasks and projects, a project's Trash page, and reopening a task."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.paging import parse_page
from app.core.web.flash_actions import flash_with_action
from app.extensions import db
from app.projects.access import load_owned_project, load_project
from app.tasklist import trash
from app.tasklist.access import load_task, load_task_in_or_out_of_trash
from app.tasklist.models import TaskStatus
from app.tasklist.service import set_status
from app.tasklist.views import say_if_kept_for_later

bp = Blueprint("trash", __name__)


@bp.route("/projects/<int:project_id>/trash")
@login_required
def index(project_id: int) -> str:
    """Every member sees the project's Trash: who deleted what, when, and how long it stays."""
    project = load_project(project_id)
    page = trash.trash_page(
        db.session,
        project.id,
        parse_page(request.args.get("page")),
        current_app.config["TASKS_PER_PAGE"],
    )
    return render_template("trash/index.html", project=project, page=page)


@bp.route("/task/<int:task_id>/delete", methods=["POST"])
@login_required
def delete_task(task_id: int) -> Response:
    """Move the task to the Trash; the project's list then offers to undo it at once."""
    task = load_task(task_id)
    trash.delete_task(db.session, task, actor_id=current_user.id, now=utcnow())
    db.session.commit()
    flash_with_action(
        gettext("Task deleted. “%(title)s” is in the project's Trash.", title=task.title),
        action=url_for("trash.restore", task_id=task.id),
        button=gettext("Undo"),
    )
    return redirect(url_for("tasks.project_tasks", project_id=task.project_id))


@bp.route("/task/<int:task_id>/restore-from-trash", methods=["POST"])
@login_required
def restore(task_id: int) -> Response:
    """Bring a task back from the Trash (the Undo after a delete, or the Trash's Restore)."""
    task = load_task_in_or_out_of_trash(task_id)
    try:
        trash.restore_task(db.session, task, actor_id=current_user.id)
    except RuleViolation as error:
        flash(str(error), "info")
    else:
        db.session.commit()
        flash(gettext("“%(title)s” is restored.", title=task.title), "success")
    return redirect(url_for("tasks.detail", task_id=task.id))


@bp.route("/task/<int:task_id>/reopen", methods=["POST"])
@login_required
def reopen(task_id: int) -> Response:
    """A completed task back to pending, through the one status change (notifications and
    webhooks follow it)."""
    task = load_task(task_id)
    if task.status != TaskStatus.COMPLETED:
        flash(gettext("That task is not completed, so there is nothing to reopen."), "info")
        return redirect(url_for("tasks.detail", task_id=task.id))
    set_status(db.session, task, TaskStatus.PENDING, utcnow(), actor_id=current_user.id)
    db.session.commit()
    say_if_kept_for_later()
    flash(gettext("“%(title)s” is reopened.", title=task.title), "success")
    return redirect(url_for("tasks.detail", task_id=task.id))


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
@login_required
def delete_project(project_id: int) -> str | Response:
    """Owners only: GET asks (a page, so it works without JavaScript), POST deletes."""
    project = load_owned_project(project_id)
    if request.method == "GET":
        return render_template(
            "trash/delete_project.html",
            project=project,
            retention_days=current_app.config["TRASH_RETENTION_DAYS"],
        )
    trash.delete_project(db.session, project, actor_id=current_user.id, now=utcnow())
    db.session.commit()
    flash_with_action(
        gettext(
            "Project “%(name)s” deleted. Its owners can restore it under Deleted projects.",
            name=project.name,
        ),
        action=url_for("trash.restore_project", project_id=project.id),
        button=gettext("Undo"),
    )
    return redirect(url_for("projects.index"))


@bp.route("/projects/<int:project_id>/restore", methods=["POST"])
@login_required
def restore_project(project_id: int) -> Response:
    project = trash.deleted_project_for_owner(db.session, project_id, current_user.id)
    trash.restore_project(db.session, project)
    db.session.commit()
    flash(gettext("Project “%(name)s” is restored with its tasks.", name=project.name), "success")
    return redirect(url_for("tasks.project_tasks", project_id=project.id))
