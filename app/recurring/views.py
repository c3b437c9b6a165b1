"""Recurring task pages: a project's series, create, edit the template, stop, and history."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.web.forms import add_error
from app.extensions import db
from app.projects import service as project_rules
from app.projects.access import load_project
from app.recurring import service as series_rules
from app.recurring.forms import RecurringForm
from app.recurring.models import RecurringSeries
from app.recurring.rules import describe_rule

bp = Blueprint("recurring", __name__)
UPCOMING = 5


def load_series(series_id: int) -> RecurringSeries:
    return series_rules.get_series_for_member(db.session, series_id, current_user.id)


def load_managed_series(series_id: int) -> RecurringSeries:
    series = load_series(series_id)
    series_rules.require_can_manage(db.session, series, current_user.id)
    return series


def _form(
    project_id: int, timezone_name: str, stored_start: datetime | None = None
) -> RecurringForm:
    return RecurringForm(
        timezone_name=timezone_name,
        members=project_rules.members_of(db.session, project_id),
        stored_start=stored_start,
    )


@bp.route("/projects/<int:project_id>/recurring")
@login_required
def index(project_id: int) -> str:
    project = load_project(project_id)
    series_list = series_rules.series_of_project(db.session, project.id)
    now = utcnow()
    upcoming = {series.id: series_rules.upcoming(series, now, 1) for series in series_list}
    return render_template(
        "recurring/index.html",
        project=project,
        series_list=series_list,
        upcoming=upcoming,
        describe=describe_rule,
    )


@bp.route("/projects/<int:project_id>/recurring/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> str | Response:
    project = load_project(project_id)
    form = _form(project.id, current_user.timezone)
    if not form.is_submitted():
        form.assignee_id.data = current_user.id
    if form.validate_on_submit():
        try:
            series = series_rules.create_series(
                db.session,
                project_id=project.id,
                owner=current_user,
                fields=form.to_fields(),
                now=utcnow(),
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.assignee_id, str(error))
        else:
            db.session.commit()
            flash(
                gettext(
                    "“%(title)s” now repeats: %(rule)s.", title=series.title, rule=_describe(series)
                ),
                "success",
            )
            return redirect(url_for("recurring.detail", series_id=series.id))
    return render_template("recurring/form.html", form=form, project=project, series=None)


@bp.route("/recurring/<int:series_id>")
@login_required
def detail(series_id: int) -> str:
    series = load_series(series_id)
    now = utcnow()
    upcoming = series_rules.upcoming(series, now, UPCOMING)
    return render_template(
        "recurring/detail.html",
        series=series,
        description=_describe(series),
        upcoming=upcoming,
        history=series_rules.occurrences_of(db.session, series.id),
        can_manage=series_rules.can_manage(db.session, series, current_user.id),
    )


@bp.route("/recurring/<int:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit(series_id: int) -> str | Response:
    series = load_managed_series(series_id)
    if not series.is_active:
        flash(gettext("This series has stopped; its history stays as it was."), "info")
        return redirect(url_for("recurring.detail", series_id=series.id))
    # Times are read in the series' own zone, whoever edits it.
    form = _form(series.project_id, series.timezone, series.starts_at)
    if not form.is_submitted():
        form.fill_from(series)
    if form.validate_on_submit():
        try:
            updated = series_rules.update_template(db.session, series, form.to_fields(), utcnow())
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.assignee_id, str(error))
        else:
            db.session.commit()
            if updated:
                message = ngettext(
                    "Saved. Future occurrences follow the new template. %(num)d upcoming task "
                    "updated too.",
                    "Saved. Future occurrences follow the new template. %(num)d upcoming tasks "
                    "updated too.",
                    updated,
                )
            else:
                message = gettext("Saved. Future occurrences follow the new template.")
            flash(message, "success")
            return redirect(url_for("recurring.detail", series_id=series.id))
    return render_template("recurring/form.html", form=form, project=series.project, series=series)


@bp.route("/recurring/<int:series_id>/stop", methods=["POST"])
@login_required
def stop(series_id: int) -> Response:
    series = load_managed_series(series_id)
    series_rules.stop_series(series, utcnow())
    db.session.commit()
    flash(
        gettext(
            "“%(title)s” will not repeat any more; its past tasks are kept.", title=series.title
        ),
        "success",
    )
    return redirect(url_for("recurring.detail", series_id=series.id))


def _describe(series: RecurringSeries) -> str:
    return describe_rule(series.rule, series.starts_at, series.timezone)
