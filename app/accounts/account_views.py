"""Forgotten passwords, email confirmation, and resuming emails to an address that bounced,
by signed single-use links."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import login_sessions, throttle, tokens
from app.accounts import service as accounts
from app.accounts.auth_views import AFTER_SIGNUP
from app.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from app.accounts.jobs import send_account_email, send_password_reset_to_address
from app.accounts.login import log_in
from app.accounts.models import User
from app.accounts.service import normalise_email
from app.accounts.tokens import TokenError
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.queueing import queue, try_queue
from app.core.web.forms import add_error, entered
from app.core.web.safety import is_local_redirect
from app.extensions import db, limiter

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
        # No lookup here: the worker finds the account, if any. The page does the same work,
        # in the same time, whether or not the address has an account; at most a few emails
        # an hour go to one address, however many people ask.
        if throttle.count_for_account(throttle.ACCOUNT_EMAILS, entered(form.email)):
            try_queue(send_password_reset_to_address, normalise_email(entered(form.email)))
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
        try:
            accounts.check_password_rules(
                entered(form.new_password), email=user.email, name=user.name
            )
        except RuleViolation as error:
            add_error(form.new_password, str(error))
            return render_template("account/reset_password.html", form=form)
        user.set_password(entered(form.new_password))
        login_sessions.revoke_all_but(db.session, user.id, None)
        # The owner hears of it, in case the reset link reached someone else (after commit).
        queue(send_account_email, tokens.PASSWORD_CHANGED, user.id)
        # The emailed link proves the owner: a pause on logging in (many wrong passwords,
        # perhaps someone else's) is lifted.
        throttle.clear_account(throttle.LOGIN_FAILURES, user.email)
        log_in(user)
        flash(gettext("Your password is changed; every other session is logged out."), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("account/reset_password.html", form=form)


@bp.route("/verify-email/<token>", methods=["GET"])
def verify_email(token: str) -> str | tuple[str, int]:
    """The emailed link shows a button and changes nothing: mail scanners open links, and
    only the person's POST may use it up. A used link says the address is confirmed."""
    found = unconfirmed_user(token)
    if not isinstance(found, User):
        return found
    return render_template("account/confirm_email.html", user=found, token=token)


@bp.route("/verify-email/<token>", methods=["POST"])
def confirm_email(token: str) -> str | Response | tuple[str, int]:
    """Confirm the address and log in; a second press finds it already confirmed."""
    found = unconfirmed_user(token)
    if not isinstance(found, User):
        return found
    return _confirmed(found)


def unconfirmed_user(token: str) -> User | str | tuple[str, int]:
    """The person a confirmation link is for, or the page to show instead: "already
    confirmed" for a used link, the 400 page for a tampered or expired one."""
    secret = current_app.config["SECRET_KEY"]
    try:
        claim = tokens.read(secret, tokens.EMAIL_VERIFICATION, token)
        user = db.session.get(User, claim.user_id)
        if tokens.already_confirmed(secret, token, user):
            return render_template("account/already_confirmed.html", user=user)
        return tokens.redeem(secret, tokens.EMAIL_VERIFICATION, token, user)
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400


def _confirmed(user: User) -> Response:
    """Mark `user`'s address confirmed, log them in, and send them on."""
    first_time = user.email_verified_at is None and not login_sessions.has_any(db.session, user.id)
    user.email_verified_at = utcnow()
    # A confirmed address is one that receives mail: a bounce recorded before is over.
    accounts.resume_emailing(user)
    db.session.commit()
    # Read before logging in starts a fresh cookie session.
    target = session.pop(AFTER_SIGNUP, None)
    if not (current_user.is_authenticated and current_user.id == user.id):
        # The link came to the address: using it is the proof that finishes signing up.
        log_in(user)
    if is_local_redirect(target):
        flash(gettext("Thank you: %(address)s is confirmed.", address=user.email), "success")
        return redirect(target)
    if first_time:
        flash(
            gettext(
                "Welcome to Tickler, %(name)s! %(address)s is confirmed. "
                "Create your first project to get going.",
                name=user.name,
                address=user.email,
            ),
            "success",
        )
        return redirect(url_for("projects.new"))
    flash(gettext("Thank you: %(address)s is confirmed.", address=user.email), "success")
    return redirect(url_for("dashboard.index"))


@bp.route("/verify-email/resend", methods=["POST"])
@login_required
@limiter.limit(_limit)
def resend_verification() -> Response:
    if current_user.email_verified_at is not None:
        flash(gettext("Your address is already confirmed."), "info")
    elif try_queue(send_account_email, tokens.EMAIL_VERIFICATION, current_user.id) is None:
        flash(gettext("We could not queue the email right now; try again in a minute."), "error")
    else:
        flash(
            gettext("We sent a new confirmation link to %(address)s.", address=current_user.email),
            "success",
        )
    return redirect(url_for("profile.edit"))


@bp.route("/profile/address/confirm-again", methods=["POST"])
@login_required
@limiter.limit(_limit)
def send_resume_link() -> Response:
    """Email a link to the address that bounced: the account email goes whatever the bounce
    state (the person asked for it), and opening it proves the address works again."""
    if current_user.email_deliverable:
        flash(gettext("Tickler is emailing your address as usual; nothing to confirm."), "info")
    elif try_queue(send_account_email, tokens.ADDRESS_RESUME, current_user.id) is None:
        flash(gettext("We could not queue the email right now; try again in a minute."), "error")
    else:
        flash(
            gettext(
                "We sent a confirmation link to %(address)s. If it does not arrive, the address "
                "still does not work: check it for typos, or ask an admin to change it.",
                address=current_user.email,
            ),
            "success",
        )
    return redirect(url_for("profile.edit"))


@bp.route("/address/resume/<token>", methods=["GET"])
def resume_address(token: str) -> str | tuple[str, int]:
    """The emailed link shows a button and changes nothing: mail scanners open links, and only
    the person's POST uses it up."""
    try:
        user = _user_for(tokens.ADDRESS_RESUME, token)
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400
    return render_template("account/resume_address.html", user=user, token=token)


@bp.route("/address/resume/<token>", methods=["POST"])
def confirm_resume_address(token: str) -> str | Response | tuple[str, int]:
    """The address works: emails resume, the bounce and the soft-bounce count forgotten."""
    try:
        user = _user_for(tokens.ADDRESS_RESUME, token)
    except TokenError as error:
        return render_template("account/link_invalid.html", message=str(error)), 400
    accounts.resume_emailing(user)
    db.session.commit()
    flash(
        gettext("Thank you: %(address)s works. Tickler emails it again.", address=user.email),
        "success",
    )
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("profile.edit"))
    return redirect(url_for("auth.login"))
