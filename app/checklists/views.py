"""Checklists: the task page's checklist forms (each works without script, one POST each;
CSRFProtect checks every POST)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.checklists import service as checklists
from app.checklists.models import ChecklistItem
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.tasklist.access import load_task

bp = Blueprint("checklists", __name__)


def _back(task_id: int, anchor: str = "checklist") -> Response:
    return redirect(url_for("tasks.detail", task_id=task_id) + f"#{anchor}")


def _item(item_id: int) -> ChecklistItem:
    return checklists.get_item_for_member(db.session, item_id, current_user.id)


@bp.route("/task/<int:task_id>/checklist", methods=["POST"])
@login_required
def add(task_id: int) -> Response:
    task = load_task(task_id)
    try:
        checklists.add_item(db.session, task.id, request.form.get("text", ""))
    except RuleViolation as error:
        db.session.rollback()
        flash(gettext("The item was not added: %(error)s", error=error), "error")
        return _back(task.id)
    db.session.commit()
    return _back(task.id, "checklist-add")


@bp.route("/checklist/<int:item_id>/check", methods=["POST"])
@login_required
def check(item_id: int) -> Response:
    item = _item(item_id)
    task_id = item.task_id
    done = request.form.get("done") == "1"
    checklists.set_done(db.session, item, done, user_id=current_user.id, now=utcnow())
    db.session.commit()
    return _back(task_id, f"item-{item_id}")


@bp.route("/checklist/<int:item_id>/edit", methods=["POST"])
@login_required
def edit(item_id: int) -> Response:
    item = _item(item_id)
    task_id = item.task_id
    try:
        checklists.edit_text(db.session, item, request.form.get("text", ""))
    except RuleViolation as error:
        db.session.rollback()
        flash(gettext("The item was not changed: %(error)s", error=error), "error")
        return _back(task_id)
    db.session.commit()
    return _back(task_id, f"item-{item_id}")


@bp.route("/checklist/<int:item_id>/move", methods=["POST"])
@login_required
def move(item_id: int) -> Response:
    item = _item(item_id)
    task_id = item.task_id
    direction = request.form.get("direction")
    if direction not in {"up", "down"}:
        flash(gettext("Move an item up or down."), "error")
        return _back(task_id)
    checklists.move(db.session, item, -1 if direction == "up" else 1)
    db.session.commit()
    return _back(task_id, f"item-{item_id}")


@bp.route("/checklist/<int:item_id>/delete", methods=["POST"])
@login_required
def remove(item_id: int) -> Response:
    item = _item(item_id)
    task_id = item.task_id
    checklists.remove(db.session, item)
    db.session.commit()
    flash(gettext("Checklist item removed."), "success")
    return _back(task_id)


@bp.route("/task/<int:task_id>/checklist/complete", methods=["POST"])
@login_required
def complete_task(task_id: int) -> Response:
    """The offer's "Mark task complete": the one status rule, as every status change."""
    task = load_task(task_id)
    try:
        checklists.complete_task(db.session, task, utcnow(), actor_id=current_user.id)
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(task.id)
    db.session.commit()
    flash(gettext("Task “%(title)s” completed.", title=task.title), "success")
    return redirect(url_for("tasks.detail", task_id=task.id))
