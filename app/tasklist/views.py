"""Task pages: a project's list, create, edit, detail, and completion through the worker."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.checklists.queries import progress_for_tasks
from app.comments import service as comment_rules
from app.comments.forms import CommentForm
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.mentions import all_handles
from app.core.paging import parse_page
from app.core.queueing import BROKER_UNREACHABLE, kept_for_later
from app.core.web.forms import add_error
from app.extensions import db
from app.labels import service as label_rules
from app.labels.queries import labels_for_tasks
from app.projects import service as project_rules
from app.projects.access import load_project, load_project_as_owner_or_member
from app.reminders import service as reminder_rules
from app.reminders.forms import ReminderForm
from app.tasklist import service as task_rules
from app.tasklist.access import load_task
from app.tasklist.filters import parse_filters
from app.tasklist.forms import TaskForm
from app.tasklist.jobs import update_task_status
from app.tasklist.models import Task, TaskPriority, TaskStatus

bp = Blueprint("tasks", __name__)


def say_if_kept_for_later() -> None:
    """After a commit: the service recorded the change's events, and the notifications they
    queued went to the broker with the commit; if it was down they wait in the database, and
    the person is told the change is saved and its emails will follow."""
    if kept_for_later(db.session):
        flash(str(QUEUE_DOWN_SAVED), "info")


QUEUE_DOWN_SAVED = lazy_gettext(
    "Saved. The task queue is not reachable right now, so notifications about this change "
    "will go out as soon as it is back."
)


def _task_form(project_id: int, **kwargs: Any) -> TaskForm:
    return TaskForm(
        timezone_name=current_user.timezone,
        members=project_rules.members_of(db.session, project_id),
        labels=label_rules.project_labels(db.session, project_id),
        **kwargs,
    )


def _save_labels(task: Task, form: TaskForm) -> None:
    """The form's labels, through the labels feature (it records TaskLabelsChanged)."""
    if form.label_options:
        label_rules.set_task_labels(
            db.session, task, form.labels.data or [], actor_id=current_user.id
        )


@bp.route("/projects/<int:project_id>/tasks")
@login_required
def project_tasks(project_id: int) -> str:
    project, is_owner = load_project_as_owner_or_member(project_id)
    filters, ignored = parse_filters(request.args)
    for message in ignored.messages():
        flash(message, "info")
    page = task_rules.project_task_page(
        db.session,
        project.id,
        filters,
        parse_page(request.args.get("page")),
        current_app.config["TASKS_PER_PAGE"],
    )
    page_ids = [task.id for task in page.items]
    return render_template(
        "tasks/list.html",
        project=project,
        page=page,
        filters=filters,
        members=project_rules.member_choices(db.session, project.id),
        statuses=list(TaskStatus),
        priorities=list(TaskPriority),
        sorts=task_rules.SORTS,
        is_owner=is_owner,
        project_labels=label_rules.project_labels(db.session, project.id),
        labels_by_task=labels_for_tasks(db.session, page_ids),
        progress_by_task=progress_for_tasks(db.session, page_ids),
    )


@bp.route("/projects/<int:project_id>/tasks/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> str | Response:
    project = load_project(project_id)
    form = _task_form(project.id)
    if request.method == "GET":
        form.assignee_id.data = current_user.id
    if form.validate_on_submit():
        try:
            task = task_rules.create_task(
                db.session, project_id=project.id, creator=current_user, fields=form.to_fields()
            )
            _save_labels(task, form)
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.assignee_id, str(error))
        else:
            db.session.commit()
            say_if_kept_for_later()
            flash(gettext("Task “%(title)s” created.", title=task.title), "success")
            return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/form.html", form=form, project=project, task=None)


@bp.route("/task/<int:task_id>")
@login_required
def detail(task_id: int) -> str:
    task = load_task(task_id)
    queued = request.args.get("queued")
    if queued not in {status.value for status in TaskStatus} or queued == task.status.value:
        queued = None
    now = utcnow()
    return render_template(
        "tasks/detail.html",
        task=task,
        queued_status=queued,
        comments=comment_rules.comments_on(db.session, task.id),
        member_handles=all_handles(comment_rules.project_members(db.session, task.project_id)),
        watching=comment_rules.is_watching(db.session, task.id, current_user.id),
        comment_form=CommentForm(),
        reminder_form=ReminderForm(has_due_date=task.due_at is not None),
        reminders=[
            (reminder, reminder_rules.reminder_in_words(reminder, current_user.timezone))
            for reminder in reminder_rules.reminders_of(db.session, task.id, current_user.id)
        ],
        can_edit=lambda comment: comment_rules.can_edit(comment, current_user.id, now),
    )


@bp.route("/task/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit(task_id: int) -> str | Response:
    task = load_task(task_id)
    form = _task_form(task.project_id, current_due=task.due_at)
    if request.method == "GET":
        form.fill_from(task)
        form.labels.data = [
            label.id for label in labels_for_tasks(db.session, [task.id]).get(task.id, [])
        ]
    if form.validate_on_submit():
        due_before = task.due_at
        try:
            task_rules.update_task(db.session, task, form.to_fields(), actor_id=current_user.id)
            if task.due_at != due_before:
                reminder_rules.move_with_due_date(db.session, task)
            _save_labels(task, form)
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.assignee_id, str(error))
        else:
            db.session.commit()
            say_if_kept_for_later()
            flash(gettext("Task saved."), "success")
            return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/form.html", form=form, project=task.project, task=task)


@bp.route("/task/<int:task_id>/complete", methods=["POST"])
@login_required
def complete(task_id: int) -> Response | tuple[Response, int]:
    """Queue the completion for the worker, as the user's guide does, and say so."""
    task = load_task(task_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        result = update_task_status.delay(
            task.id, TaskStatus.COMPLETED.value, actor_id=current_user.id
        )
    except BROKER_UNREACHABLE:
        current_app.logger.exception("could not queue completion of task %s", task.id)
        message = gettext(
            "The task queue is not reachable right now; nothing was changed. Try again shortly."
        )
        if wants_json:
            return jsonify({"error": message}), 503
        flash(message, "error")
        return redirect(url_for("tasks.detail", task_id=task.id))
    if wants_json:
        return jsonify({"message": gettext("Task completion queued"), "job_id": result.id}), 202
    flash(gettext("Marking “%(title)s” as completed…", title=task.title), "info")
    return redirect(url_for("tasks.detail", task_id=task.id, queued=TaskStatus.COMPLETED.value))


@bp.route("/task/<int:task_id>/status")
@login_required
def status(task_id: int) -> Response:
    """The task's current status, polled by the detail page while the worker runs."""
    task = load_task(task_id)
    return jsonify({"task_id": task.id, "status": task.status.value, "label": task.status.label})
