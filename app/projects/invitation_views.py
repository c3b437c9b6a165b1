"""An emailed invitation's link: GET shows it and asks, POST accepts (a link scanner that opens
the email only ever GETs)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db, limiter
from app.projects import invitations
from app.projects.invitation_models import ProjectInvitation
from app.projects.invitation_rules import CLOSED_MESSAGES, InvitationState, acceptance_problem

bp = Blueprint("invitations", __name__, url_prefix="/invitations")
NOT_VALID = lazy_gettext(
    "This invitation link is not valid. Check that you copied the whole link, or ask the "
    "project's owner to send the invitation again."
)


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _closed_page(message: str) -> tuple[str, int]:
    return render_template("invitations/closed.html", message=message), 410


def _find(token: str) -> ProjectInvitation | None:
    return invitations.find_by_token(db.session, token)


@bp.route("/<token>")
@limiter.limit(_limit)
def show(token: str) -> str | tuple[str, int]:
    invitation = _find(token)
    if invitation is None:
        return render_template("invitations/closed.html", message=NOT_VALID), 404
    state = invitations.state(invitation, utcnow())
    if state != InvitationState.PENDING:
        return _closed_page(str(CLOSED_MESSAGES[state]))
    problem = None
    if current_user.is_authenticated:
        problem = acceptance_problem(
            invited=invitation.email,
            account_email=current_user.email,
            account_confirmed=current_user.email_verified_at is not None,
        )
    return render_template(
        "invitations/show.html", invitation=invitation, token=token, problem=problem
    )


@bp.route("/<token>/accept", methods=["POST"])
@limiter.limit(_limit)
def accept(token: str) -> Response | str | tuple[str, int]:
    invitation = _find(token)
    if invitation is None:
        return render_template("invitations/closed.html", message=NOT_VALID), 404
    if not current_user.is_authenticated:
        # Back to the page, whose buttons log in or sign up with the invited address.
        return redirect(url_for("invitations.show", token=token))
    try:
        invitations.accept(db.session, invitation, current_user, utcnow())
    except invitations.InvitationClosed as error:
        db.session.rollback()
        return _closed_page(str(error))
    except RuleViolation:
        # Someone else's account, or an unconfirmed address: the page says which, and what to do.
        db.session.rollback()
        return redirect(url_for("invitations.show", token=token))
    db.session.commit()
    flash(
        gettext(
            "Welcome to %(project)s! You can now see and work on its tasks.",
            project=invitation.project.name,
        ),
        "success",
    )
    return redirect(url_for("tasks.project_tasks", project_id=invitation.project_id))
