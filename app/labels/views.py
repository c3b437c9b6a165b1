"""Labels: a project's Labels page (create, rename, recolor, delete) and a task's labels."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import Field

from app.core.errors import Forbidden, RuleViolation
from app.core.web.converters import parse_id
from app.core.web.forms import add_error
from app.extensions import db
from app.labels import service as labels
from app.labels.forms import CUSTOM, LabelForm
from app.labels.queries import LabelView
from app.labels.rules import PRESETS
from app.labels.service import LabelColorError, LabelWithCount
from app.projects.access import load_project_as_owner_or_member
from app.tasklist.access import load_task

bp = Blueprint("labels", __name__, static_folder="static", static_url_path="/static-labels")


def chosen_label_ids(values: list[str]) -> list[int]:
    """The label ids a form posted; RuleViolation for anything that is not one."""
    ids = [parse_id(value) for value in values]
    if None in ids:
        raise RuleViolation(gettext("Choose labels of this task's project."))
    return [label_id for label_id in ids if label_id is not None]


def _edit_forms(editing: tuple[int, LabelForm] | None) -> Callable[[LabelWithCount], LabelForm]:
    """Each label's rename/recolor form: filled with what it is now, except the one just
    posted with a problem, which keeps what the person typed and says what is wrong."""

    def form_for(label: LabelWithCount) -> LabelForm:
        if editing and editing[0] == label.id:
            return editing[1]
        form = LabelForm(formdata=None)
        form.fill(label.name, label.color)
        return form

    return form_for


def _field_for(form: LabelForm, error: RuleViolation) -> Field:
    return form.color if isinstance(error, LabelColorError) else form.name


def _show_index(
    project_id: int,
    form: LabelForm,
    status: int = 200,
    editing: tuple[int, LabelForm] | None = None,
) -> tuple[str, int]:
    project, is_owner = load_project_as_owner_or_member(project_id)
    page = render_template(
        "labels/index.html",
        project=project,
        is_owner=is_owner,
        labels=labels.project_labels_with_counts(db.session, project.id),
        form=form,
        presets=PRESETS,
        custom=CUSTOM,
        label_form_for=_edit_forms(editing),
        editing_id=editing[0] if editing else None,
    )
    return page, status


@bp.route("/projects/<int:project_id>/labels", methods=["GET", "POST"])
@login_required
def index(project_id: int) -> tuple[str, int] | Response:
    project, _ = load_project_as_owner_or_member(project_id)
    form = LabelForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            label = labels.create_label(
                db.session, project.id, form.name.data or "", form.chosen_color()
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(_field_for(form, error), str(error))
            return _show_index(project.id, form, 422)
        db.session.commit()
        flash(gettext("Label “%(name)s” created.", name=label.name), "success")
        return redirect(url_for("labels.index", project_id=project.id))
    if request.method == "POST":
        return _show_index(project.id, form, 400)
    return _show_index(project.id, form)


@bp.route("/labels/<int:label_id>", methods=["POST"])
@login_required
def update(label_id: int) -> tuple[str, int] | Response:
    label = labels.get_label_for_member(db.session, label_id, current_user.id)
    project_id = label.project_id
    form = LabelForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired; nothing was changed. Try again."), "error")
        return redirect(url_for("labels.index", project_id=project_id))
    try:
        labels.update_label(db.session, label, form.name.data or "", form.chosen_color())
    except RuleViolation as error:
        db.session.rollback()
        add_error(_field_for(form, error), str(error))
        return _show_index(project_id, LabelForm(formdata=None), 422, (label_id, form))
    db.session.commit()
    flash(
        gettext(
            "Label “%(name)s” saved; every task carrying it shows the change.", name=label.name
        ),
        "success",
    )
    return redirect(url_for("labels.index", project_id=project_id))


@bp.route("/labels/<int:label_id>/delete", methods=["GET", "POST"])
@login_required
def delete(label_id: int) -> str | Response:
    """Owners only: deleting takes the label off every task at once and cannot be undone."""
    label = labels.get_label_for_member(db.session, label_id, current_user.id)
    project, is_owner = load_project_as_owner_or_member(label.project_id)
    if not is_owner:
        raise Forbidden(gettext("Only the project's owners can delete labels."))
    count = labels.tasks_carrying(db.session, label.id)
    if request.method == "POST" and LabelForm().validate_on_submit():
        name = label.name
        labels.delete_label(db.session, label)
        db.session.commit()
        flash(
            ngettext(
                "Label “%(name)s” deleted and taken off %(num)d task.",
                "Label “%(name)s” deleted and taken off %(num)d tasks.",
                count,
                name=name,
            ),
            "success",
        )
        return redirect(url_for("labels.index", project_id=project.id))
    return render_template(
        "labels/delete.html",
        project=project,
        label=label,
        label_view=LabelView(label.id, label.name, label.color),
        count=count,
    )


@bp.route("/task/<int:task_id>/labels", methods=["POST"])
@login_required
def set_for_task(task_id: int) -> Response:
    """The task page's no-JS form: the checked labels become the task's labels."""
    task = load_task(task_id)
    if not LabelForm().validate_on_submit():
        flash(gettext("The form expired; the labels were not changed. Try again."), "error")
        return redirect(url_for("tasks.detail", task_id=task.id) + "#labels")
    try:
        chosen = chosen_label_ids(request.form.getlist("label"))
        change = labels.set_task_labels(db.session, task, chosen, actor_id=current_user.id)
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("tasks.detail", task_id=task.id) + "#labels")
    db.session.commit()
    flash(gettext("Labels saved.") if change else gettext("The labels were already so."), "success")
    return redirect(url_for("tasks.detail", task_id=task.id) + "#labels")
