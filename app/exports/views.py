"""Exports: start one from a task list, watch its progress, download it, list mine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import NotFound, RuleViolation
from app.core.queueing import try_queue
from app.exports import service as export_rules
from app.exports.files import CONTENT_TYPES
from app.exports.jobs import export_tasks_async
from app.exports.models import Export, ExportFormat, ExportStatus
from app.extensions import db
from app.projects.access import load_project
from app.tasklist.filters import MAX_LABELS, label_limit_message, parse_filters
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import SORTS

bp = Blueprint("exports", __name__)
FILTER_KEYS = ("status", "priority", "assignee", "label", "sort")


def load_export(export_id: int) -> Export:
    """The current user's export; NotFound (a 404) for anyone else."""
    return export_rules.get_export_for_owner(db.session, export_id, current_user.id)


def filter_args() -> dict[str, Any]:
    """The list's filters as they came in the form, to send the person back to the same list
    (as url_for's values, which it types Any)."""
    return {
        key: request.form.getlist(key)[:MAX_LABELS]
        for key in FILTER_KEYS
        if request.form.getlist(key)
    }


def start(project_id: int | None, back: str) -> Response:
    filters, ignored = parse_filters(request.form)
    if ignored.values:
        flash(
            gettext(
                "Nothing was exported: unknown filter values %(values)s.", values=ignored.unknown
            ),
            "error",
        )
        return redirect(back)
    if ignored.labels_over_limit:
        # Exported with the first MAX_LABELS labels, as the list shows them; said so.
        flash(label_limit_message(ignored.labels_over_limit), "info")
    try:
        export = export_rules.create_export(
            db.session,
            user_id=current_user.id,
            project_id=project_id,
            export_format=request.form.get("format"),
            filters=filters,
            translate_headers=True,  # a person will read this file
        )
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    send(export)
    return redirect(url_for("exports.show", export_id=export.id))


def send(export: Export) -> None:
    """Queue the export after commit; if the broker is down, record that and say so."""
    if try_queue(export_tasks_async, export.id) is None:
        export_rules.mark_failed(db.session, export.id, export_rules.QUEUE_DOWN_MESSAGE, utcnow())
        db.session.commit()
        flash(gettext(export_rules.QUEUE_DOWN_MESSAGE), "error")
    else:
        flash(
            gettext("Export started. You can leave this page; it will be under My exports."),
            "info",
        )


def progress_text(export: Export) -> str:
    """'120 of 400 rows' in the current language: the page's and its poller's progress line."""
    if export.total_rows is None:
        return gettext("%(written)d of … rows", written=export.rows_written)
    return ngettext(
        "%(written)d of %(num)d row",
        "%(written)d of %(num)d rows",
        export.total_rows,
        written=export.rows_written,
    )


@bp.route("/projects/<int:project_id>/tasks/export", methods=["POST"])
@login_required
def start_project(project_id: int) -> Response:
    # Outsiders get 404 before anything about the form is judged, so no answer tells them more.
    load_project(project_id)
    back = url_for("tasks.project_tasks", project_id=project_id, **filter_args())
    return start(project_id, back)


@bp.route("/exports/mine", methods=["POST"])
@login_required
def start_mine() -> Response:
    return start(None, url_for("exports.index", **filter_args()))


@bp.route("/exports/")
@login_required
def index() -> str:
    filters, _ = parse_filters(request.args)
    return render_template(
        "exports/index.html",
        exports=export_rules.exports_of(db.session, current_user.id),
        filters=filters,
        statuses=list(TaskStatus),
        priorities=list(TaskPriority),
        sorts=SORTS,
        formats=list(ExportFormat),
    )


@bp.route("/exports/<int:export_id>")
@login_required
def show(export_id: int) -> str:
    export = load_export(export_id)
    return render_template("exports/show.html", export=export, progress=progress_text(export))


@bp.route("/exports/<int:export_id>/status")
@login_required
def status(export_id: int) -> Response:
    """Progress for the status page's poller."""
    export = load_export(export_id)
    done = export.status == ExportStatus.DONE
    return jsonify(
        {
            "id": export.id,
            "status": export.status.value,
            "label": export.status.label,
            "rows_written": export.rows_written,
            "total_rows": export.total_rows,
            "percent": export.percent,
            "progress": progress_text(export),
            "error": export.error_text,
            "download_url": url_for("exports.download", export_id=export.id) if done else None,
        }
    )


@bp.route("/exports/<int:export_id>/download")
@login_required
def download(export_id: int) -> Response | tuple[str, int]:
    export = load_export(export_id)
    if export.status == ExportStatus.EXPIRED:
        return render_template("exports/gone.html", export=export), 410
    if export.status != ExportStatus.DONE:
        flash(gettext("That export is not finished yet."), "info")
        return redirect(url_for("exports.show", export_id=export.id))
    try:
        found = export_rules.file_of(export, Path(current_app.config["EXPORT_DIR"]))
    except NotFound:
        return render_template("exports/gone.html", export=export), 410
    return send_file(
        found.path,
        mimetype=CONTENT_TYPES[export.format],
        as_attachment=True,
        download_name=found.download_name,
        max_age=0,
    )


@bp.route("/exports/<int:export_id>/retry", methods=["POST"])
@login_required
def retry(export_id: int) -> Response:
    export = load_export(export_id)
    try:
        export_rules.requeue(export)
    except RuleViolation as error:
        flash(str(error), "error")
        return redirect(url_for("exports.show", export_id=export.id))
    db.session.commit()
    send(export)
    return redirect(url_for("exports.show", export_id=export.id))
