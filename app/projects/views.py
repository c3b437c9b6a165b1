"""Projects: list, create, edit, and their members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import throttle
from app.accounts.service import normalise_email
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.queueing import queue
from app.core.web.forms import add_error, entered
from app.extensions import db
from app.projects import invitations
from app.projects import service as project_rules
from app.projects.access import load_owned_project, load_project_as_owner_or_member
from app.projects.forms import AddMemberForm, ProjectForm
from app.projects.invitation_models import ProjectInvitation
from app.projects.jobs import send_project_invitation

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.route("/")
@login_required
def index() -> str:
    summaries = project_rules.projects_for_user(db.session, current_user.id)
    deleted = project_rules.deleted_projects_owned_by(db.session, current_user.id)
    return render_template("projects/index.html", summaries=summaries, deleted_projects=deleted)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    form = ProjectForm()
    if form.validate_on_submit():
        project = project_rules.create_project(
            db.session,
            owner=current_user,
            name=entered(form.name),
            description=form.description.data or "",
        )
        db.session.commit()
        flash(
            gettext("Project “%(name)s” created. Add its first task.", name=project.name),
            "success",
        )
        return redirect(url_for("tasks.project_tasks", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int) -> str | Response:
    project = load_owned_project(project_id)
    form = ProjectForm(obj=project)
    if form.validate_on_submit():
        project_rules.update_project(
            project, name=entered(form.name), description=form.description.data or ""
        )
        db.session.commit()
        flash(gettext("Project saved."), "success")
        return redirect(url_for("tasks.project_tasks", project_id=project.id))
    return render_template("projects/form.html", form=form, project=project)


def invitation_sent_message(email: str) -> str:
    """The one answer for an address the owner does not already work with, account or not."""
    return gettext(
        "We've emailed an invitation to %(email)s. They join the project when they accept it.",
        email=email,
    )


def send_invitation(invitation: ProjectInvitation) -> bool:
    """Queue the invitation email (committed first), unless this address has had its share
    of emails lately; the same limit as sign-up and reset emails, whoever asks."""
    if not throttle.count_for_account(throttle.ACCOUNT_EMAILS, invitation.email):
        return False
    queue(send_project_invitation, invitation.id)
    return True


def flash_throttled(email: str) -> None:
    minutes = throttle.minutes_of(throttle.ACCOUNT_EMAILS)
    flash(
        ngettext(
            "The invitation to %(email)s is saved, but that address has had several emails from "
            "Tickler lately, so we did not send another. Use Resend in up to %(num)d minute.",
            "The invitation to %(email)s is saved, but that address has had several emails from "
            "Tickler lately, so we did not send another. Use Resend in up to %(num)d minutes.",
            minutes,
            email=email,
        ),
        "info",
    )


@bp.route("/<int:project_id>/members", methods=["GET", "POST"])
@login_required
def members(project_id: int) -> str | Response:
    project, is_owner = load_project_as_owner_or_member(project_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        if not is_owner:
            abort(403)
        email = normalise_email(entered(form.email))
        try:
            outcome = invitations.add_or_invite(
                db.session, project, current_user.id, email, utcnow()
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.email, str(error))
        else:
            db.session.commit()
            if isinstance(outcome, invitations.Added):
                flash(
                    gettext(
                        "%(name)s can now see and work on this project.",
                        name=outcome.member.user.name,
                    ),
                    "success",
                )
            elif send_invitation(outcome.invitation):
                flash(invitation_sent_message(email), "success")
            else:
                flash_throttled(email)
            return redirect(url_for("projects.members", project_id=project.id))
    return render_template(
        "projects/members.html",
        project=project,
        members=project_rules.members_of(db.session, project.id),
        invitations=invitations.open_invitations_of(db.session, project.id) if is_owner else [],
        form=form,
        is_owner=is_owner,
        now=utcnow(),
    )


@bp.route("/<int:project_id>/invitations/<int:invitation_id>/resend", methods=["POST"])
@login_required
def resend_invitation(project_id: int, invitation_id: int) -> Response:
    project = load_owned_project(project_id)
    invitation = invitations.open_invitation(db.session, project.id, invitation_id)
    invitations.mark_resent(invitation, utcnow())
    db.session.commit()
    if send_invitation(invitation):
        flash(
            gettext("We've emailed the invitation to %(email)s again.", email=invitation.email),
            "success",
        )
    else:
        flash_throttled(invitation.email)
    return redirect(url_for("projects.members", project_id=project.id))


@bp.route("/<int:project_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(project_id: int, invitation_id: int) -> Response:
    project = load_owned_project(project_id)
    invitation = invitations.open_invitation(db.session, project.id, invitation_id)
    invitations.revoke(invitation, utcnow())
    db.session.commit()
    flash(
        gettext(
            "The invitation to %(email)s is withdrawn; its link no longer works.",
            email=invitation.email,
        ),
        "success",
    )
    return redirect(url_for("projects.members", project_id=project.id))


@bp.route("/<int:project_id>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(project_id: int, user_id: int) -> Response:
    project = load_owned_project(project_id)
    try:
        user = project_rules.remove_member(db.session, project, user_id)
    except RuleViolation as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            gettext("%(name)s was removed; their tasks here are now unassigned.", name=user.name),
            "success",
        )
    return redirect(url_for("projects.members", project_id=project.id))
