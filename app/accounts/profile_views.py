"""The profile page: name, timezone, password, and the sessions signed in to this account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.accounts import login_sessions, tokens
from app.accounts import service as accounts
from app.accounts.forms import PasswordChangeForm, ProfileForm
from app.accounts.jobs import send_account_email
from app.core.errors import RuleViolation
from app.core.i18n import in_language
from app.core.queueing import queue
from app.core.web.forms import add_error, entered
from app.extensions import db

bp = Blueprint("profile", __name__)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    profile_form = ProfileForm(obj=current_user, prefix="profile")
    password_form = PasswordChangeForm(prefix="password")
    if request.method == "POST" and "profile-submit" in request.form:
        if profile_form.validate_on_submit():
            accounts.update_profile(
                current_user,
                name=entered(profile_form.name),
                timezone=profile_form.timezone.data,
                language=profile_form.language.data,
            )
            db.session.commit()
            # Said in the language just chosen: the next page is written in it too.
            with in_language(current_user.language):
                flash(
                    gettext(
                        "Profile saved. Dates now show in %(zone)s.", zone=current_user.timezone
                    ),
                    "success",
                )
            return redirect(url_for("profile.edit"))
    elif request.method == "POST" and "password-submit" in request.form:
        if password_form.validate_on_submit():
            try:
                accounts.change_password(
                    current_user,
                    current=entered(password_form.current_password),
                    new=entered(password_form.new_password),
                )
            except accounts.PasswordRuleViolation as error:
                add_error(password_form.new_password, str(error))
            except RuleViolation as error:
                add_error(password_form.current_password, str(error))
            else:
                # The new password ended every session begun under the old one; this one goes on.
                login_sessions.keep_after_password_change(
                    db.session, current_user, current_user.login_session_id
                )
                # The owner hears of it, in case it was not them (sent once it is committed).
                queue(send_account_email, tokens.PASSWORD_CHANGED, current_user.id)
                db.session.commit()
                flash(gettext("Password changed. Every other session is logged out."), "success")
                return redirect(url_for("profile.edit"))
    return render_template(
        "profile/edit.html",
        profile_form=profile_form,
        password_form=password_form,
        sessions=login_sessions.active_sessions(
            db.session, current_user.id, current_user.login_session_id
        ),
    )


@bp.route("/profile/sessions/<session_id>/revoke", methods=["POST"])
@login_required
def revoke_session(session_id: str) -> Response:
    """Log out one other browser; someone else's session, or one already over, is not found."""
    if session_id == current_user.login_session_id:
        flash(gettext("That is this browser: use Log out instead."), "info")
    elif not login_sessions.revoke(db.session, current_user.id, session_id):
        raise NotFound()
    else:
        db.session.commit()
        flash(gettext("That session is logged out."), "success")
    return redirect(url_for("profile.edit") + "#sessions")


@bp.route("/profile/sessions/revoke-others", methods=["POST"])
@login_required
def revoke_other_sessions() -> Response:
    ended = login_sessions.revoke_all_but(
        db.session, current_user.id, current_user.login_session_id
    )
    db.session.commit()
    flash(
        ngettext("Logged out %(num)d other session.", "Logged out %(num)d other sessions.", ended)
        if ended
        else gettext("No other session was logged in."),
        "success",
    )
    return redirect(url_for("profile.edit") + "#sessions")
