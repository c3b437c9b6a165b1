"""Comments on a task over the API: read them oldest first (cursor-paged), post one through
the same service as the page (mentions notify, webhooks fire)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from app.api.auth import api_user
from app.api.docs_helpers import LINK_HEADER, LOCATION_HEADER, problems
from app.api.paging import decode_cursor, encode_cursor, next_link
from app.api.task_access import task_for_api
from app.api.task_schemas import CommentInSchema, CommentOutSchema, PageArgs
from app.comments import service as comment_rules
from app.comments.models import Comment
from app.extensions import db

blp = Blueprint("api_comments", __name__, url_prefix="/api/v1", description="Comments")


def comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "task_id": comment.task_id,
        "author_id": comment.author_id,
        "author_name": comment.author.name,
        "body": comment.body,
        "created_at": comment.created_at,
        "url": url_for(
            "tasks.detail", task_id=comment.task_id, _anchor=f"comment-{comment.id}", _external=True
        ),
    }


def _after(cursor: str) -> Any:
    """Comments after the cursor's (created_at, id), the order comments_on shows them in."""
    moment, comment_id = decode_cursor(cursor, 2)
    try:
        at = datetime.fromisoformat(str(moment))
        if at.tzinfo is None or not isinstance(comment_id, int):
            raise ValueError
    except ValueError:
        decode_cursor("", -1)  # the cursor's 422
    return or_(Comment.created_at > at, and_(Comment.created_at == at, Comment.id > comment_id))


@blp.route("/tasks/<int:task_id>/comments")
class TaskComments(MethodView):
    @blp.arguments(PageArgs, location="query", as_kwargs=True)
    @blp.response(200, CommentOutSchema(many=True), headers=LINK_HEADER)
    @problems(blp)
    @blp.doc(operationId="listComments")
    def get(self, task_id: int, limit: int, cursor: str | None = None) -> Any:
        """The task's comments, oldest first."""
        task = task_for_api(task_id)
        query = (
            select(Comment)
            .where(Comment.task_id == task.id)
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
        if cursor is not None:
            query = query.where(_after(cursor))
        comments = list(db.session.scalars(query.limit(limit + 1)))
        more, comments = len(comments) > limit, comments[:limit]
        last = comments[-1] if more else None
        link = next_link(encode_cursor([last.created_at.isoformat(), last.id]) if last else None)
        return [comment_data(c) for c in comments], 200, ({"Link": link} if link else {})

    @blp.arguments(CommentInSchema)
    @blp.response(201, CommentOutSchema, headers=LOCATION_HEADER)
    @problems(blp)
    @blp.doc(operationId="addComment")
    def post(self, body: dict[str, Any], task_id: int) -> Any:
        """Post a comment; @mentions of members notify them, as on the page."""
        task = task_for_api(task_id)
        comment = comment_rules.add_comment(db.session, task, api_user(), body["body"])
        db.session.commit()  # its notifications go to the broker with it (CommentAdded)
        location = url_for("api_comments.TaskComments", task_id=task.id, _external=True)
        return comment_data(comment), 201, {"Location": location}
