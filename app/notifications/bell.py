"""The bell's count of unread notifications, given to every page's template."""

from __future__ import annotations

from flask import Flask, has_request_context
from flask_login import current_user

from app.extensions import db
from app.notifications.service import unread_count


def unread_notifications() -> dict[str, int]:
    """The bell's count on every page: loaded with the user, else one query."""
    # Emails render without a request (in the worker): no one is viewing, no bell.
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    # None after a commit expired the user (a form that saved, then rendered): count afresh.
    loaded = current_user.unread_notifications
    if loaded is None:
        loaded = unread_count(db.session, current_user.id)
    return {"unread_notifications": loaded}


def register(app: Flask) -> None:
    """Give every template `unread_notifications`."""
    app.context_processor(unread_notifications)
