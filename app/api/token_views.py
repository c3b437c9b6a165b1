"""The profile's API tokens page: make a token (its secret shown once), list and revoke them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.api.forms import TokenForm
from app.api.tokens import ExpiryInPast, hash_secret, make_token, revoke, tokens_of
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.timezones import local_to_utc
from app.core.web.forms import add_error, entered
from app.extensions import db

bp = Blueprint("api_tokens", __name__)

# Where a new secret waits, in the person's own signed session, for the one page that shows it:
# POST, redirect, GET (a reload neither asks to resubmit nor shows the secret again). Only its
# hash is in the database, as for the calendar feed's URL.
NEW_SECRET_KEY = "api_token_new_secret"


def end_of_day(day: date, timezone_name: str) -> datetime:
    """The moment `day` ends in the person's timezone (midnight starting the next day), in UTC:
    "expires after 31 Dec" means it still works all of 31 December where they are."""
    return local_to_utc(datetime.combine(day + timedelta(days=1), time.min), timezone_name)


@bp.route("/profile/api-tokens", methods=["GET", "POST"])
@login_required
def index() -> str | Response:
    """GET: the list, the form, and a secret just made (once). POST: make a token."""
    form = TokenForm(is_admin=current_user.is_admin)
    if request.method == "POST" and form.validate_on_submit():
        expires_at = (
            end_of_day(form.expires_on.data, current_user.timezone)
            if form.expires_on.data
            else None
        )
        try:
            made = make_token(
                db.session,
                current_user.id,
                entered(form.name),
                form.scopes.data or [],
                expires_at,
                utcnow(),
            )
        except RuleViolation as error:
            message = str(error)
            add_error(form.expires_on if isinstance(error, ExpiryInPast) else form.name, message)
        else:
            db.session.commit()
            session[NEW_SECRET_KEY] = made.secret
            flash(
                gettext(
                    "Token “%(name)s” made. Copy it now: it is shown only once.",
                    name=made.token.name,
                ),
                "success",
            )
            return redirect(url_for("api_tokens.index") + "#new-token")
    tokens = tokens_of(db.session, current_user.id)
    new_secret = session.pop(NEW_SECRET_KEY, None)
    # Shown only if it is one of this person's tokens (a stale session value shows nothing).
    new_token = next(
        (t for t in tokens if new_secret and t.token_hash == hash_secret(new_secret)), None
    )
    return render_template(
        "api/tokens.html",
        form=form,
        tokens=tokens,
        new_secret=new_secret if new_token else None,
        new_token=new_token,
        now=utcnow(),
    )


@bp.route("/profile/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    """Stop one of the person's tokens at once; another person's token is not found (404)."""
    revoke(db.session, current_user.id, token_id, utcnow())
    db.session.commit()
    flash(gettext("Token revoked: scripts using it now get 401."), "success")
    return redirect(url_for("api_tokens.index") + "#tokens")
