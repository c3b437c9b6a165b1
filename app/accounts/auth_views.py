"""Registering, logging in and out."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts import throttle
from app.accounts.forms import LoginForm, RegisterForm
from app.accounts.jobs import send_account_email
from app.accounts.login import log_in, log_out
from app.accounts.service import PasswordRuleViolation
from app.core.errors import RuleViolation
from app.core.i18n import language_from_browser
from app.core.queueing import try_queue
from app.core.web.forms import add_error, entered
from app.core.web.safety import is_local_redirect
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)
# Where to go once the emailed confirmation link, opened in this browser, finishes signing up
# (an invitation's page, say).
AFTER_SIGNUP = "after_signup"


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_rate_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _accepted(response: Response) -> bool:
    """Only sign-ups that went through count against the address, not mistyped forms."""
    return response.status_code == 302


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_rate_limit, methods=["POST"], deduct_when=_accepted)
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.timezone.data = request.args.get("tz", "UTC")
        form.email.data = request.args.get("email", "")
    if form.validate_on_submit():
        try:
            outcome = accounts.register_or_notify(
                db.session,
                email=entered(form.email),
                name=entered(form.name),
                password=entered(form.password),
                timezone=form.timezone.data,
                language=language_from_browser(),
            )
        except RuleViolation as error:
            db.session.rollback()
            field = form.password if isinstance(error, PasswordRuleViolation) else form.timezone
            add_error(field, str(error))
        else:
            db.session.commit()
            # The same answer and one email either way: a new account gets its confirmation
            # link, the owner of a taken address hears that someone tried. Nobody learns here
            # whether the address had an account.
            if throttle.count_for_account(throttle.ACCOUNT_EMAILS, entered(form.email)):
                try_queue(send_account_email, outcome.email_purpose, outcome.user_id)
            target = request.args.get("next")
            if is_local_redirect(target):
                session[AFTER_SIGNUP] = target
            flash(
                gettext(
                    "Check your inbox: we sent a link to %(address)s. "
                    "Open it to finish signing up and log in.",
                    address=entered(form.email),
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


def _locked_out(form: LoginForm) -> tuple[str, int]:
    minutes = throttle.minutes_of(throttle.LOGIN_FAILURES)
    flash(
        ngettext(
            "Too many wrong passwords for this account: logging in to it is paused for up to "
            "%(num)d minute. If it is yours, reset your password now; the emailed link works "
            "at once and lifts the pause.",
            "Too many wrong passwords for this account: logging in to it is paused for up to "
            "%(num)d minutes. If it is yours, reset your password now; the emailed link works "
            "at once and lifts the pause.",
            minutes,
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if request.method == "GET":
        form.email.data = request.args.get("email", "")
    if form.validate_on_submit():
        # Counted per account whether or not it exists, so a pause says nothing about that.
        if throttle.account_blocked(throttle.LOGIN_FAILURES, entered(form.email)):
            return _locked_out(form)
        user = accounts.authenticate(db.session, entered(form.email), entered(form.password))
        if user is None:
            throttle.count_for_account(throttle.LOGIN_FAILURES, entered(form.email))
            flash(gettext("That email and password do not match an active account."), "error")
        else:
            throttle.clear_account(throttle.LOGIN_FAILURES, entered(form.email))
            log_in(user, remember=form.remember.data)
            flash(gettext("Welcome back, %(name)s.", name=user.name), "success")
            target = request.args.get("next")
            return redirect(target if is_local_redirect(target) else url_for("dashboard.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    log_out()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"))
