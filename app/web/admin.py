"""Admin pages: scheduled jobs, reports, failed deliveries, and the guide's send-reminders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from kombu.exceptions import OperationalError
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import utcnow
from app.services import ledger
from app.services import reports as report_rules
from app.services.job_runs import find_job, job_overview, last_runs
from app.tasks.notifications import send_digest_chunk
from app.tasks.task_management import send_task_reminders

bp = Blueprint("admin", __name__, url_prefix="/admin")
QUEUE_DOWN = "The task queue is not reachable right now; nothing was queued. Try again shortly."


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/send-reminders", methods=["POST"])
@admin_required
def send_reminders() -> Response | tuple[Response, int]:
    """The guide's route: queue the reminder job now."""
    try:
        result = send_task_reminders.delay()
    except OperationalError:
        if _wants_json():
            return jsonify({"error": QUEUE_DOWN}), 503
        flash(QUEUE_DOWN, "error")
        return redirect(url_for("admin.jobs"))
    if _wants_json():
        return jsonify({"message": "Reminder sending queued", "job_id": result.id}), 202
    flash("Reminder sending queued.", "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs")
@admin_required
def jobs() -> str:
    config = dict(current_app.config)
    views = job_overview(config, last_runs(db.session), utcnow())
    return render_template("admin/jobs.html", jobs=views)


@bp.route("/jobs/<name>/run", methods=["POST"])
@admin_required
def run_job(name: str) -> Response:
    job = find_job(name)
    if job is None:
        abort(404)
    try:
        result = current_app.extensions["celery"].send_task(job.task)
    except OperationalError:
        flash(QUEUE_DOWN, "error")
    else:
        flash(f"{job.name} queued (job {result.id}).", "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/reports")
@admin_required
def reports() -> str:
    recent = report_rules.recent_reports(db.session)
    return render_template(
        "admin/reports.html", reports=recent, latest=recent[0] if recent else None
    )


@bp.route("/deliveries")
@admin_required
def deliveries() -> str:
    return render_template("admin/deliveries.html", failed=ledger.failed_deliveries(db.session))


@bp.route("/deliveries/<int:delivery_id>/resend", methods=["POST"])
@admin_required
def resend(delivery_id: int) -> Response:
    delivery = ledger.reopen_for_resend(db.session, delivery_id, utcnow())
    if delivery is None:
        abort(404)
    pair = [delivery.recipient_id, delivery.period]
    kind = delivery.kind.value
    db.session.commit()
    try:
        send_digest_chunk.delay(kind, [pair], utcnow().isoformat())
    except OperationalError:
        flash(QUEUE_DOWN, "error")
    else:
        flash("Resend queued.", "success")
    return redirect(url_for("admin.deliveries"))
