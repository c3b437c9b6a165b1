"""Inbound mail's pages: an undeliverable address confirmed again."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts import tokens
from app.accounts.jobs import send_account_email
from app.accounts.models import User
from app.accounts.tokens import TokenError
from app.core.queueing import try_queue
from app.extensions import db, limiter

bp = Blueprint("inbound_bounces", __name__)


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/profile/address/confirm-again", methods=["POST"])
@login_required
@limiter.limit(_limit)
def send_confirmation() -> Response:
    """Email a link to the address that bounced: the account email goes whatever the bounce
    state (the person asked for it), and opening it proves the address works again."""
    if current_user.email_deliverable:
        flash("Tickler is emailing your address as usual; nothing to confirm.", "info")
    elif try_queue(send_account_email, tokens.ADDRESS_RESUME, current_user.id) is None:
        flash("We could not queue the email right now; try again in a minute.", "error")
    else:
        flash(
            f"We sent a confirmation link to {current_user.email}. If it does not arrive, "
            "the address still does not work: check it for typos, or ask an admin to change it.",
            "success",
        )
    return redirect(url_for("profile.edit"))


@bp.route("/address/resume/<token>", methods=["GET"])
def resume(token: str) -> str | tuple[str, int]:
    """The emailed link shows a button and changes nothing: mail scanners open links, and only
    the person's POST uses it up."""
    found = _user_for(token)
    if not isinstance(found, User):
        return found
    return render_template("inbound/resume_address.html", user=found, token=token)


@bp.route("/address/resume/<token>", methods=["POST"])
def confirm_resume(token: str) -> str | Response | tuple[str, int]:
    found = _user_for(token)
    if not isinstance(found, User):
        return found
    accounts.resume_emailing(found)
    db.session.commit()
    flash(f"Thank you: {found.email} works. Tickler emails it again.", "success")
    if current_user.is_authenticated and current_user.id == found.id:
        return redirect(url_for("profile.edit"))
    return redirect(url_for("auth.login"))


def _user_for(token: str) -> User | tuple[str, int]:
    """The person the link is for, or the 400 page for a tampered, expired or used link."""
    secret = current_app.config["SECRET_KEY"]
    try:
        claim = tokens.read(secret, tokens.ADDRESS_RESUME, token)
        return tokens.redeem(
            secret, tokens.ADDRESS_RESUME, token, db.session.get(User, claim.user_id)
        )
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400
