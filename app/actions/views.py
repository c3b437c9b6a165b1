"""Action links from emails: confirm, then do it, without logging in."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app.actions import links as action_links
from app.actions.links import ACTIONS, ActionLinkError
from app.core.database import utcnow
from app.extensions import csrf, db

bp = Blueprint("actions", __name__)


@bp.route("/actions/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed, single-use token is the proof; the mail client has no session
def act(token: str) -> str | tuple[str, int]:
    """GET asks (link scanners open links); POST does it."""
    try:
        claim = action_links.read(db.session, current_app.config["SECRET_KEY"], token)
    except ActionLinkError as error:
        return render_template("actions/invalid.html", message=str(error)), 400
    if request.method == "GET":
        question = ACTIONS[claim.action].format(title=claim.task.title)
        return render_template("actions/confirm.html", question=question, claim=claim)
    try:
        outcome = action_links.perform(db.session, claim, utcnow())
    except ActionLinkError as error:
        return render_template("actions/invalid.html", message=str(error)), 400
    db.session.commit()  # sends the change's notifications (recorded by the task service)
    return render_template("actions/done.html", outcome=outcome, task=claim.task)
