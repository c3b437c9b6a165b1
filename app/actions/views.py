"""Action links from emails: confirm, then do it, without logging in.

The pages speak the language of the person the link was signed for (whoever opens it, signed
in or not); when the link names nobody we can trust, the usual choice (the browser's)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import Blueprint, current_app, render_template, request

from app.accounts.models import User
from app.actions import links as action_links
from app.actions.links import ActionLinkError
from app.core.database import utcnow
from app.core.i18n import in_language, is_language
from app.extensions import csrf, db

bp = Blueprint("actions", __name__)


def language_of(user: User | None) -> AbstractContextManager[None]:
    """Words, dates and numbers in `user`'s language, if they chose one we have."""
    if user is not None and is_language(user.language):
        return in_language(user.language)
    return nullcontext()


def refused(error: ActionLinkError) -> tuple[str, int]:
    with language_of(error.user):
        return render_template("actions/invalid.html", message=str(error)), 400


@bp.route("/actions/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed, single-use token is the proof; the mail client has no session
def act(token: str) -> str | tuple[str, int]:
    """GET asks (link scanners open links); POST does it."""
    try:
        claim = action_links.read(db.session, current_app.config["SECRET_KEY"], token)
    except ActionLinkError as error:
        return refused(error)
    if request.method == "GET":
        with language_of(claim.user):
            question = action_links.question(claim)
            return render_template("actions/confirm.html", question=question, claim=claim)
    try:
        with language_of(claim.user):
            outcome = action_links.perform(db.session, claim, utcnow())
    except ActionLinkError as error:
        return refused(error)
    db.session.commit()  # sends the change's notifications (recorded by the task service)
    with language_of(claim.user):
        return render_template("actions/done.html", outcome=outcome, task=claim.task)
