"""The profile page: name, timezone and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from app.extensions import db
from app.services import accounts
from app.services.errors import RuleViolation
from app.web.forms.auth import PasswordChangeForm, ProfileForm
from app.web.forms.base import add_error, entered

bp = Blueprint("profile", __name__)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    profile_form = ProfileForm(obj=current_user, prefix="profile")
    password_form = PasswordChangeForm(prefix="password")
    if request.method == "POST" and "profile-submit" in request.form:
        if profile_form.validate_on_submit():
            accounts.update_profile(
                current_user, name=entered(profile_form.name), timezone=profile_form.timezone.data
            )
            db.session.commit()
            flash("Profile saved. Dates now show in " + current_user.timezone + ".", "success")
            return redirect(url_for("profile.edit"))
    elif request.method == "POST" and "password-submit" in request.form:
        if password_form.validate_on_submit():
            try:
                accounts.change_password(
                    current_user,
                    current=entered(password_form.current_password),
                    new=entered(password_form.new_password),
                )
            except RuleViolation as error:
                add_error(password_form.current_password, str(error))
            else:
                db.session.commit()
                # The new session token logged every session out; keep this one.
                login_user(current_user._get_current_object())
                flash("Password changed. Every other session is logged out.", "success")
                return redirect(url_for("profile.edit"))
    return render_template(
        "profile/edit.html", profile_form=profile_form, password_form=password_form
    )
