"""Inbound mail's pages: a project's mail-in address, shown and regenerated."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import db
from app.inbound import project_addresses
from app.inbound.addresses import inbound_enabled, project_address
from app.projects.access import load_owned_project, load_project_as_owner_or_member

bp = Blueprint("inbound_project", __name__)


@bp.route("/projects/<int:project_id>/mail-in")
@login_required
def show(project_id: int) -> str:
    project, is_owner = load_project_as_owner_or_member(project_id)
    enabled = inbound_enabled(current_app.config)
    token = project_addresses.token_of(db.session, project.id) if enabled else None
    address = project_address(current_app.config, token) if token else None
    return render_template(
        "inbound/project.html",
        project=project,
        is_owner=is_owner,
        enabled=enabled,
        address=address,
    )


def _owner_change(project_id: int, action: str) -> Response:
    project = load_owned_project(project_id)
    if not inbound_enabled(current_app.config):
        flash(gettext("Inbound mail is off on this Tickler."), "error")
        return redirect(url_for("inbound_project.show", project_id=project.id))
    if action == "on":
        project_addresses.turn_on(db.session, project.id, current_user.id)
        flash(gettext("Mail-in is on: members can email tasks to the address below."), "success")
    elif action == "regenerate":
        project_addresses.regenerate(db.session, project.id, current_user.id)
        flash(gettext("A new address is ready; the old one no longer works."), "success")
    else:
        project_addresses.turn_off(db.session, project.id)
        flash(gettext("Mail-in is off; the address no longer works."), "success")
    db.session.commit()
    return redirect(url_for("inbound_project.show", project_id=project.id))


@bp.route("/projects/<int:project_id>/mail-in/turn-on", methods=["POST"])
@login_required
def turn_on(project_id: int) -> Response:
    return _owner_change(project_id, "on")


@bp.route("/projects/<int:project_id>/mail-in/regenerate", methods=["POST"])
@login_required
def regenerate(project_id: int) -> Response:
    return _owner_change(project_id, "regenerate")


@bp.route("/projects/<int:project_id>/mail-in/turn-off", methods=["POST"])
@login_required
def turn_off(project_id: int) -> Response:
    return _owner_change(project_id, "off")
