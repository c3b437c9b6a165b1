"""Email preferences, and the one-click unsubscribe link every email carries."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from werkzeug.wrappers import Response
from wtforms import ValidationError

from app.accounts.models import User
from app.core.database import utcnow
from app.core.i18n import in_language
from app.core.timezones import to_local
from app.core.web.converters import parse_id
from app.digests.times import digest_arrivals
from app.extensions import csrf, db
from app.inbound.addresses import inbound_enabled
from app.notifications import service as notification_rules
from app.notifications.models import NotificationKind
from app.notifications.service import Channels
from app.preferences import service as rules
from app.preferences.forms import PreferencesForm
from app.preferences.service import EmailChoices, InvalidToken, Unsubscribe
from app.projects.models import Project

bp = Blueprint("preferences", __name__)

# The wider choices the unsubscribe page offers, as its buttons' `scope` values.
SCOPE_PROJECT = "project"
SCOPE_ALL_TASK = "all_task"


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    kinds = rules.kinds_for(current_user)
    now = utcnow()
    form = PreferencesForm(today=to_local(now, current_user.timezone).date())
    projects = rules.project_mutes(db.session, current_user.id)
    if request.method == "GET":
        choices = rules.choices_for(db.session, current_user)
        for kind, enabled in choices.enabled.items():
            getattr(form, kind.value).data = enabled
        form.workdays_only.data = choices.workdays_only
        form.paused_until.data = choices.paused_until
        form.deadline_alerts_per_task.data = choices.per_task_alerts
        form.reply_done_completes.data = current_user.reply_done_completes
        for event, channels in notification_rules.choices(db.session, current_user.id).items():
            email_field, in_app_field = form.channel_fields(event)
            email_field.data, in_app_field.data = channels.email, channels.in_app
    if form.validate_on_submit():
        _save(form, kinds, projects)
        db.session.commit()
        flash(gettext("Preferences saved."), "success")
        return redirect(url_for("preferences.edit"))
    return render_template(
        "preferences/edit.html",
        form=form,
        kind_fields=form.kind_fields(kinds),
        arrivals=digest_arrivals(db.session, current_app.config, current_user.timezone, now),
        channel_rows=[(kind, *form.channel_fields(kind)) for kind in NotificationKind],
        projects=projects,
        inbound=inbound_enabled(current_app.config),
    )


def _save(form: PreferencesForm, kinds: list, projects: list[tuple[int, str, bool]]) -> None:
    """Every choice the preferences form holds, into EmailChoice (and the reply choice onto
    the person, when the form showed it)."""
    if inbound_enabled(current_app.config):
        current_user.reply_done_completes = bool(form.reply_done_completes.data)
    rules.save_choices(
        db.session,
        current_user,
        EmailChoices(
            {kind: bool(getattr(form, kind.value).data) for kind in kinds},
            bool(form.workdays_only.data),
            form.paused_until.data,
            bool(form.deadline_alerts_per_task.data),
        ),
    )
    for event in NotificationKind:
        email_field, in_app_field = form.channel_fields(event)
        notification_rules.save_choice(
            db.session,
            current_user.id,
            event,
            Channels(bool(email_field.data), bool(in_app_field.data)),
        )
    # Only the projects the form showed (a hidden field each) change: a checked box keeps its
    # task emails on; a form posted without them mutes nothing.
    shown = _ids("project_shown")
    emailed = _ids("project_emails")
    rules.save_project_mutes(
        db.session,
        current_user.id,
        [row for row in projects if row[0] in shown],
        shown - emailed,
    )


def _ids(name: str) -> set[int]:
    ids = (parse_id(value) for value in request.form.getlist(name))
    return {project_id for project_id in ids if project_id is not None}


def _read_token(token: str) -> tuple[Unsubscribe, User]:
    """What the link is for, and whose it is; InvalidToken, saying why, otherwise."""
    link = rules.read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    user = db.session.get(User, link.user_id)
    if user is None:
        raise InvalidToken(gettext("This unsubscribe link is not valid."))
    return link, user


def _check_session_csrf() -> None:
    """A visitor logged in here has a session a forged form could ride on, so their button
    presses carry the form token; without a session the signed link is the authority."""
    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        validate_csrf(request.form.get("csrf_token"))


def _apply(link: Unsubscribe, scope: str | None, project: Project | None) -> str:
    """Carry out one unsubscribe request; what was turned off, in words."""
    if scope == SCOPE_ALL_TASK:
        rules.turn_off_all_task_emails(db.session, link.user_id)
        return gettext("all task emails")
    if scope == SCOPE_PROJECT and project is not None:
        rules.mute_project(db.session, link.user_id, project.id)
        return gettext("all task emails of %(project)s", project=project.name)
    rules.unsubscribe(db.session, link)
    return rules.unsubscribe_label(link)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without a session or a form token.
def unsubscribe(token: str) -> str | tuple[str, int]:
    try:
        link, user = _read_token(token)
    except InvalidToken as error:
        # Whose link it is is not known: the browser's language (or the signed-in person's).
        return render_template("preferences/unsubscribe_invalid.html", reason=str(error)), 400
    # The link names its person, who often is not signed in here: their language, not the
    # browser's (a forwarded link shows its owner's language, and nothing more about them).
    with in_language(user.language):
        return _unsubscribe_page(link)


def _unsubscribe_page(link: Unsubscribe) -> str | tuple[str, int]:
    project = db.session.get(Project, link.project_id) if link.project_id else None
    turned_off = None
    if request.method == "POST":
        scope = request.form.get("scope")
        if scope is not None:
            try:
                _check_session_csrf()
            except ValidationError:
                return render_template(
                    "preferences/unsubscribe_invalid.html",
                    reason=gettext("The form expired; open the link from the email again."),
                ), 400
        turned_off = _apply(link, scope, project)
        db.session.commit()
    # The link is all a visitor holds: the page names no address (a forged or forwarded link
    # must not reveal whose it is).
    return render_template(
        "preferences/unsubscribe.html",
        label=rules.unsubscribe_label(link),
        turned_off=turned_off,
        already_off=turned_off is None and rules.still_turned_off(db.session, link),
        project=project if link.is_task_email else None,
        offer_task_choices=link.is_task_email,
        scope_project=SCOPE_PROJECT,
        scope_all_task=SCOPE_ALL_TASK,
    )
