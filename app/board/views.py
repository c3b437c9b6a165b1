"""Board: a project's tasks in columns by status, and the one endpoint that moves a card."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.board import queries
from app.board.rules import COLUMN_ORDER, neighbours, shown_columns
from app.board.service import Move, move_card
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.web.converters import parse_id
from app.extensions import db
from app.projects import service as project_rules
from app.projects.access import load_project
from app.tasklist.access import load_task
from app.tasklist.filters import parse_filters
from app.tasklist.models import TaskPriority, TaskStatus

bp = Blueprint("board", __name__)


@bp.route("/projects/<int:project_id>/board")
@login_required
def show(project_id: int) -> str:
    project = load_project(project_id)
    filters, ignored = parse_filters(request.args)
    for message in ignored.messages():
        flash(message, "info")
    columns = queries.board_columns(
        db.session, project.id, shown_columns(filters.statuses), filters
    )
    return render_template(
        "board/show.html",
        project=project,
        columns=columns,
        filters=filters,
        members=project_rules.member_choices(db.session, project.id),
        statuses=list(COLUMN_ORDER),
        priorities=list(TaskPriority),
        neighbours=neighbours,
        filter_query=filter_query(),
    )


@bp.route("/board/tasks/<int:task_id>/move", methods=["POST"])
@login_required
def move(task_id: int) -> Response | tuple[Response, int]:
    """Move a card (drag and drop, keys or the buttons): JSON for the script, a redirect back
    to the board (with its filters) for a form."""
    task = load_task(task_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    back = board_url(task.project_id, request.form.get("filters", ""))
    try:
        target = read_move(request.form)
        result = move_card(db.session, task, target, utcnow(), actor_id=current_user.id)
    except RuleViolation as error:
        db.session.rollback()
        if wants_json:
            return jsonify({"error": str(error)}), 400
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    message = gettext(
        "“%(title)s” moved to %(status)s.", title=task.title, status=task.status.label
    )
    if wants_json:
        return jsonify(
            {
                "task_id": task.id,
                "status": task.status.value,
                "status_label": task.status.label,
                "status_changed": result.status_changed,
                "message": message,
            }
        )
    flash(message, "success")
    return redirect(back)


def read_move(values: Mapping[str, str]) -> Move:
    """The move a form or the script posted; RuleViolation for a status we do not know."""
    status_value = values.get("status", "")
    try:
        status = TaskStatus(status_value)
    except ValueError:
        known = ", ".join(status.label for status in COLUMN_ORDER)
        raise RuleViolation(
            gettext("Choose a column to move the card to: %(columns)s.", columns=known)
        ) from None
    return Move(status, card_id(values.get("above")), card_id(values.get("below")))


def card_id(value: str | None) -> int | None:
    """A neighbour's id as posted; anything else means "no card there"."""
    return parse_id(value)


def filter_query() -> str:
    """The board's filters as a query string, carried by each move form so the board comes
    back as the person left it."""
    kept = [
        (key, value)
        for key in ("status", "priority", "assignee")
        for value in request.args.getlist(key)
    ]
    return urlencode(kept)


def board_url(project_id: int, query: str) -> str:
    """The board again, with the filters a form carried (re-encoded: only our parameters)."""
    pairs = [
        (key, value) for key, value in parse_qsl(query) if key in ("status", "priority", "assignee")
    ]
    base = url_for("board.show", project_id=project_id)
    return f"{base}?{urlencode(pairs)}" if pairs else base
