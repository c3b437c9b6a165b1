"""GET /api/v1/search?q=...: the top bar's search (app/search), in the person's live projects,
best match first, paged by an opaque cursor."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint

from app.api.auth import api_user
from app.api.docs_helpers import LINK_HEADER, problems
from app.api.paging import decode_cursor, encode_cursor, next_link
from app.api.task_schemas import SearchArgs, SearchResultSchema
from app.extensions import db
from app.search.filters import parse_search_filters
from app.search.queries import SearchResult, filter_choices, search_page
from app.search.rules import Part, parse_query

blp = Blueprint("api_search", __name__, url_prefix="/api/v1", description="Search")


def _text(parts: tuple[Part, ...]) -> str:
    return "".join(part.text for part in parts)


def result_data(result: SearchResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "title": _text(result.title),
        "status": result.status.value,
        "priority": result.priority.value,
        "due_at": result.due_at,
        "archived": result.archived,
        "project_id": result.project_id,
        "project_name": result.project_name,
        "assignee_name": result.assignee_name,
        "matched_in": result.matched_in,
        "snippet": _text(result.snippet),
        "labels": [label.name for label in result.labels],
        "url": url_for("tasks.detail", task_id=result.id, _external=True),
    }


def _page_of(cursor: str | None) -> int:
    if cursor is None:
        return 1
    (page,) = decode_cursor(cursor, 1)
    if not isinstance(page, int) or isinstance(page, bool) or not 2 <= page <= 1_000_000:
        decode_cursor("", -1)  # the cursor's 422
    return int(page)


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query", as_kwargs=True)
    @blp.response(200, SearchResultSchema(many=True), headers=LINK_HEADER)
    @problems(blp)
    @blp.doc(operationId="searchTasks")
    def get(self, q: str, limit: int, cursor: str | None = None, **_: Any) -> Any:
        """Tasks whose title, description or comments hold every word of `q`, in the token's
        person's projects (not deleted ones), best first; `project` and `status` narrow it."""
        query = parse_query(q)
        if not query.is_searchable:
            abort(
                422, description=query.notice or gettext("Search for at least one word or number.")
            )
        user = api_user()
        filters, _problems = parse_search_filters(
            request.args.get, request.args.getlist, user.id, user.timezone
        )
        page = _page_of(cursor)
        scope = filter_choices(db.session, user.id).scope
        found = search_page(db.session, scope, query, filters, page, limit)
        if found.page != page:  # past the last page: search_page went back to the first
            return [], 200, {}
        link = next_link(encode_cursor([page + 1]) if found.has_next else None)
        return [result_data(r) for r in found.items], 200, ({"Link": link} if link else {})
