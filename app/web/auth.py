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
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.services import accounts, tokens
from app.services.errors import RuleViolation
from app.tasks.accounts import send_account_email
from app.web.forms.auth import LoginForm, RegisterForm
from app.web.forms.base import add_error, entered
from app.web.queueing import try_queue
from app.web.safety import is_local_redirect

bp = Blueprint("auth", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.timezone.data = request.args.get("tz", "UTC")
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                db.session,
                email=entered(form.email),
                name=entered(form.name),
                password=entered(form.password),
                timezone=form.timezone.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.email, str(error))
        else:
            db.session.commit()
            login_user(user)
            sent = try_queue(send_account_email, tokens.EMAIL_VERIFICATION, user.id) is not None
            confirm = (
                f"We sent a link to confirm {user.email}."
                if sent
                else "Confirm your address later from your profile."
            )
            flash(
                f"Welcome to Tickler, {user.name}! {confirm} "
                "Create your first project to get going.",
                "success",
            )
            return redirect(url_for("projects.new"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, entered(form.email), entered(form.password))
        if user is None:
            flash("That email and password do not match an active account.", "error")
        else:
            # A fresh session at login, so nothing planted in the old one carries over.
            session.clear()
            # A fresh session at login, so nothing planted in the old one carries over.
            session.clear()
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            target = request.args.get("next")
            return redirect(target if is_local_redirect(target) else url_for("dashboard.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
