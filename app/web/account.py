"""Forgotten passwords and email confirmation, by signed single-use links."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.models import User, utcnow
from app.services import accounts, tokens
from app.services.tokens import TokenError
from app.tasks.accounts import send_account_email
from app.web.forms.auth import ForgotPasswordForm, ResetPasswordForm
from app.web.forms.base import entered
from app.web.queueing import try_queue

bp = Blueprint("account", __name__)
SENT_IF_KNOWN = (
    "If an account uses that address, we have sent it a link to reset the password. "
    "It works for an hour."
)


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _user_for(purpose: str, token: str) -> User:
    claim = tokens.read(current_app.config["SECRET_KEY"], purpose, token)
    return tokens.redeem(
        current_app.config["SECRET_KEY"], purpose, token, db.session.get(User, claim.user_id)
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(db.session, entered(form.email))
        if user is not None and user.is_active:
            try_queue(send_account_email, tokens.PASSWORD_RESET, user.id)
        # The same answer whether or not the address has an account.
        flash(SENT_IF_KNOWN, "info")
        return redirect(url_for("auth.login"))
    return render_template("account/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        user = _user_for(tokens.PASSWORD_RESET, token)
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(entered(form.new_password))
        db.session.commit()
        session.clear()
        login_user(user)
        flash("Your password is changed; every other session is logged out.", "success")
        return redirect(url_for("dashboard.index"))
    return render_template("account/reset_password.html", form=form)


@bp.route("/verify-email/<token>")
def verify_email(token: str) -> Response | tuple[str, int]:
    try:
        user = _user_for(tokens.EMAIL_VERIFICATION, token)
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400
    user.email_verified_at = utcnow()
    db.session.commit()
    flash(f"Thank you: {user.email} is confirmed.", "success")
    return redirect(url_for("dashboard.index" if current_user.is_authenticated else "auth.login"))


@bp.route("/verify-email/resend", methods=["POST"])
@login_required
@limiter.limit(_limit)
def resend_verification() -> Response:
    if current_user.email_verified_at is not None:
        flash("Your address is already confirmed.", "info")
    elif try_queue(send_account_email, tokens.EMAIL_VERIFICATION, current_user.id) is None:
        flash("We could not queue the email right now; try again in a minute.", "error")
    else:
        flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    return redirect(url_for("profile.edit"))
