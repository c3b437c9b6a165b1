"""Logging a person in and out of this browser, with the session kept on the server."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user, login_user, logout_user

from app.accounts import login_sessions
from app.accounts.models import User
from app.extensions import db


def log_in(user: User, remember: bool = False) -> None:
    """A fresh cookie session (nothing planted before carries over) naming a new server-side
    session row; commits."""
    session.clear()
    login_sessions.start_session(db.session, user, request.user_agent.string, request.remote_addr)
    db.session.commit()
    login_user(user, remember=remember)


def log_out() -> None:
    """End this browser's session on the server too, so a copied cookie stops working."""
    session_id = getattr(current_user, "login_session_id", None)
    if current_user.is_authenticated and session_id:
        login_sessions.revoke(db.session, current_user.id, session_id)
        db.session.commit()
    logout_user()
    session.clear()
