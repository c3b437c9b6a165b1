"""History: the page of a task's whole activity, numbered pages of it, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from app.core.paging import parse_page
from app.core.web.template_helpers import viewer_timezone
from app.extensions import db
from app.history.queries import history_page
from app.tasklist.access import load_task

bp = Blueprint("history", __name__)

HISTORY_PER_PAGE = 50


@bp.route("/task/<int:task_id>/history")
@login_required
def task(task_id: int) -> str:
    """Every change to a task a member may see; 404 for anyone outside its project."""
    found = load_task(task_id)
    page = history_page(
        db.session,
        found.id,
        parse_page(request.args.get("page")),
        HISTORY_PER_PAGE,
        viewer_timezone(),
    )
    return render_template("history/task.html", task=found, page=page)
