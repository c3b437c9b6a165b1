"""The in-app inbox: what happened that concerns me, newest first."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.extensions import db
from app.notifications import service as notifications
from app.notifications.models import Notification

bp = Blueprint("inbox", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index() -> str:
    return render_template(
        "inbox/index.html", items=notifications.inbox(db.session, current_user.id)
    )


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int) -> Response:
    """Mark it read and go to its task."""
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    notifications.mark_read(db.session, current_user.id, utcnow(), notification_id)
    db.session.commit()
    if item.task_id is None:
        return redirect(url_for("inbox.index"))
    anchor = f"comment-{item.comment_id}" if item.comment_id else None
    return redirect(url_for("tasks.detail", task_id=item.task_id, _anchor=anchor))


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read() -> Response:
    notifications.mark_read(db.session, current_user.id, utcnow())
    db.session.commit()
    return redirect(url_for("inbox.index"))
