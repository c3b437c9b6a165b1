"""Search: its page, GET /search?q=..., answered on the server (issue 19)."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_login import current_user, login_required

from app.core.paging import parse_page
from app.extensions import db
from app.search.filters import parse_search_filters
from app.search.queries import filter_choices, search_page
from app.search.rules import parse_query
from app.tasklist.models import TaskStatus

bp = Blueprint("search", __name__)

RESULTS_PER_PAGE = 20


@bp.route("/search")
@login_required
def index() -> str:
    query = parse_query(request.args.get("q"))
    filters, problems = parse_search_filters(
        request.args.get, request.args.getlist, current_user.id, current_user.timezone
    )
    for problem in problems:
        flash(problem, "info")
    choices = filter_choices(db.session, current_user.id)
    results = search_page(
        db.session,
        choices.scope,
        query,
        filters,
        parse_page(request.args.get("page")),
        RESULTS_PER_PAGE,
    )
    return render_template(
        "search/index.html",
        query=query,
        filters=filters,
        results=results,
        choices=choices,
        statuses=list(TaskStatus),
    )
