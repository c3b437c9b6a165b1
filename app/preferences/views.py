"""Email preferences, and the one-click unsubscribe link every digest carries."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.core.database import utcnow
from app.core.timezones import to_local
from app.digests.times import digest_arrivals
from app.extensions import csrf, db
from app.notifications import service as notification_rules
from app.notifications.models import NotificationKind
from app.notifications.service import Channels
from app.preferences import service as rules
from app.preferences.forms import PreferencesForm
from app.preferences.service import EmailChoices, InvalidToken

bp = Blueprint("preferences", __name__)


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    kinds = rules.kinds_for(current_user)
    now = utcnow()
    form = PreferencesForm(today=to_local(now, current_user.timezone).date())
    if request.method == "GET":
        choices = rules.choices_for(db.session, current_user)
        for kind, enabled in choices.enabled.items():
            getattr(form, kind.value).data = enabled
        form.workdays_only.data = choices.workdays_only
        form.paused_until.data = choices.paused_until
        form.deadline_alerts_per_task.data = current_user.deadline_alerts_per_task
        for event, channels in notification_rules.choices(db.session, current_user.id).items():
            email_field, in_app_field = form.channel_fields(event)
            email_field.data, in_app_field.data = channels.email, channels.in_app
    if form.validate_on_submit():
        rules.save_choices(
            db.session,
            current_user,
            EmailChoices(
                {kind: bool(getattr(form, kind.value).data) for kind in kinds},
                bool(form.workdays_only.data),
                form.paused_until.data,
            ),
        )
        current_user.deadline_alerts_per_task = bool(form.deadline_alerts_per_task.data)
        for event in NotificationKind:
            email_field, in_app_field = form.channel_fields(event)
            notification_rules.save_choice(
                db.session,
                current_user.id,
                event,
                Channels(bool(email_field.data), bool(in_app_field.data)),
            )
        db.session.commit()
        flash("Preferences saved.", "success")
        return redirect(url_for("preferences.edit"))
    return render_template(
        "preferences/edit.html",
        form=form,
        kind_fields=form.kind_fields(kinds),
        arrivals=digest_arrivals(db.session, current_app.config, current_user.timezone, now),
        channel_rows=[(kind, *form.channel_fields(kind)) for kind in NotificationKind],
    )


def _read_token(token: str) -> tuple[User, str]:
    """The person and email kind the link is for; InvalidToken, saying why, otherwise."""
    user_id, kind = rules.read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    user = db.session.get(User, user_id)
    if user is None:
        raise InvalidToken("This unsubscribe link is not valid.")
    return user, kind


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without a session or a form token.
def unsubscribe(token: str) -> str | tuple[str, int]:
    try:
        user, kind = _read_token(token)
    except InvalidToken as error:
        return render_template("preferences/unsubscribe_invalid.html", reason=str(error)), 400
    label = rules.unsubscribe_label(kind)
    if request.method == "POST":
        rules.unsubscribe(db.session, user.id, kind)
        db.session.commit()
        return render_template("preferences/unsubscribed.html", label=label)
    # The link is all a visitor holds: the page names no address (a forged or forwarded link
    # must not reveal whose it is).
    return render_template("preferences/unsubscribe.html", label=label)
