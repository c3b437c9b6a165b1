"""Comments on a task, watching it, and reminders on it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.comments import service as comments
from app.comments.forms import CommentForm
from app.comments.models import Comment
from app.core.database import utcnow
from app.core.errors import Forbidden, RuleViolation
from app.core.mentions import unknown_mentions
from app.core.queueing import kept_for_later
from app.core.timezones import parse_local_datetime
from app.core.web.forms import entered
from app.extensions import db
from app.reminders import service as reminders
from app.reminders.forms import ReminderForm
from app.reminders.models import TaskReminder
from app.tasklist.access import load_task

bp = Blueprint("activity", __name__)


@bp.route("/task/<int:task_id>/comments", methods=["POST"])
@login_required
def add_comment(task_id: int) -> str | Response:
    task = load_task(task_id)
    form = CommentForm()
    if not form.validate_on_submit():
        for error in form.body.errors:
            flash(str(error), "error")
        return redirect(url_for("tasks.detail", task_id=task.id, _anchor="comments"))
    comment = comments.add_comment(db.session, task, current_user, entered(form.body))
    db.session.commit()  # its notifications go to the broker with it (CommentAdded)
    if kept_for_later(db.session):
        flash(
            gettext("Comment posted. Its notifications will go out when the task queue is back."),
            "info",
        )
    else:
        flash(gettext("Comment posted."), "success")
    members = comments.project_members(db.session, task.project_id)
    for handle in unknown_mentions(comment.body, members):
        flash(
            gettext(
                "No member called @%(handle)s in this project; nobody was notified for it.",
                handle=handle,
            ),
            "info",
        )
    return redirect(url_for("tasks.detail", task_id=task.id, _anchor=f"comment-{comment.id}"))


def load_own_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    load_task(comment.task_id)  # 404 for anyone outside the project
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int) -> str | Response:
    comment = load_own_comment(comment_id)
    try:
        comments.ensure_author(comment, current_user.id)
    except Forbidden as error:
        # Said on the page: the generic 403 speaks of the project's owners, untrue here.
        abort(403, description=str(error))
    form = CommentForm(obj=comment)
    if request.method == "POST" and form.validate_on_submit():
        try:
            comments.edit_comment(comment, current_user.id, entered(form.body), utcnow())
        except (RuleViolation, Forbidden) as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext("Comment updated."), "success")
        return redirect(
            url_for("tasks.detail", task_id=comment.task_id, _anchor=f"comment-{comment.id}")
        )
    return render_template("tasks/comment_edit.html", form=form, comment=comment)


@bp.route("/task/<int:task_id>/watch", methods=["POST"])
@login_required
def watch(task_id: int) -> Response:
    task = load_task(task_id)
    watching = request.form.get("watch") == "1"
    comments.set_watching(db.session, task.id, current_user.id, watching)
    db.session.commit()
    flash(
        gettext("You are watching this task.")
        if watching
        else gettext("You stopped watching this task."),
        "success",
    )
    return redirect(url_for("tasks.detail", task_id=task.id))


@bp.route("/task/<int:task_id>/reminders", methods=["POST"])
@login_required
def add_reminder(task_id: int) -> Response:
    task = load_task(task_id)
    form = ReminderForm(has_due_date=task.due_at is not None)
    if form.validate_on_submit():
        try:
            at = None
            if form.when.data == "at":
                at = parse_local_datetime(form.at.data or "", current_user.timezone)
            reminders.add_reminder(
                db.session,
                task,
                current_user.id,
                current_user.timezone,
                utcnow(),
                at=at,
                before_due=None if form.when.data == "at" else form.when.data,
            )
        except ValueError as error:  # RuleViolation, or a date that does not parse
            message = (
                str(error)
                if isinstance(error, RuleViolation)
                else gettext("Enter a date and time.")
            )
            flash(message, "error")
        else:
            db.session.commit()
            flash(gettext("Reminder set."), "success")
    else:
        for problem in form.when.errors:
            flash(str(problem), "error")
    return redirect(url_for("tasks.detail", task_id=task.id, _anchor="reminders"))


@bp.route("/reminders/<int:reminder_id>/delete", methods=["POST"])
@login_required
def delete_reminder(reminder_id: int) -> Response:
    reminder = db.session.get(TaskReminder, reminder_id)
    if reminder is None or reminder.user_id != current_user.id:
        abort(404)
    task_id = reminder.task_id
    db.session.delete(reminder)
    db.session.commit()
    flash(gettext("Reminder removed."), "success")
    return redirect(url_for("tasks.detail", task_id=task_id, _anchor="reminders"))
