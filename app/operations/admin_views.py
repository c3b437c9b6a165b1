"""Admin pages: scheduled jobs, reports, the outbox and failed emails, and send-reminders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from celery import Task
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
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from kombu.exceptions import OperationalError
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.core.database import utcnow
from app.core.email import ledger
from app.core.email.models import DeliveryStatus, EmailKind
from app.core.paging import parse_page
from app.core.web.safety import is_local_redirect
from app.digests import reports as report_rules
from app.digests.jobs import send_task_reminders
from app.extensions import db
from app.notifications.jobs import flush_task_notifications, send_digest_chunk
from app.operations import email_outbox as outbox_rules
from app.schedule import find_job
from app.tasklist.models import TaskPriority, TaskStatus

bp = Blueprint("admin", __name__, url_prefix="/admin")
QUEUE_DOWN = lazy_gettext(
    "The task queue is not reachable right now; nothing was queued. Try again shortly."
)
ADMINS_ONLY = lazy_gettext(
    "Only Tickler's admins can see and change this page. Ask an admin if you need it."
)


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403, description=str(ADMINS_ONLY))
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
            return jsonify({"error": str(QUEUE_DOWN)}), 503
        flash(str(QUEUE_DOWN), "error")
        return redirect(url_for("admin.jobs"))
    if _wants_json():
        return jsonify({"message": "Reminder sending queued", "job_id": result.id}), 202
    flash(gettext("Reminder sending queued."), "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs")
@admin_required
def jobs() -> str:
    from app.operations.jobs_views import jobs_page

    return jobs_page()


@bp.route("/jobs/<name>/run", methods=["POST"])
@admin_required
def run_job(name: str) -> Response:
    job = find_job(name)
    if job is None:
        abort(404)
    try:
        result = current_app.extensions["celery"].send_task(job.task)
    except OperationalError:
        flash(str(QUEUE_DOWN), "error")
    else:
        flash(gettext("%(job)s queued (job %(id)s).", job=job.name, id=result.id), "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/reports")
@admin_required
def reports() -> str:
    recent = report_rules.recent_reports(db.session)
    return render_template(
        "admin/reports.html",
        reports=recent,
        latest=recent[0] if recent else None,
        status_labels={status.value: status.label for status in TaskStatus},
        priority_labels={priority.value: priority.label for priority in TaskPriority},
    )


@bp.route("/deliveries")
@admin_required
def deliveries() -> str:
    failed = ledger.failed_deliveries(db.session)
    return render_template(
        "admin/deliveries.html",
        failed=failed,
        period_words=outbox_rules.periods_in_words(db.session, failed, current_user.timezone),
    )


@bp.route("/outbox")
@admin_required
def outbox() -> str:
    """Every email in the ledger: searchable by recipient, filtered by kind and status."""
    filters, problems = outbox_rules.parse_filters(request.args)
    for problem in problems:
        flash(problem, "error")
    page = outbox_rules.outbox_page(
        db.session,
        filters,
        parse_page(request.args.get("page")),
        timezone=current_user.timezone,
    )
    return render_template(
        "admin/outbox.html",
        page=page,
        undeliverable=accounts.undeliverable_people(db.session),
        filters=filters,
        kinds=list(EmailKind),
        statuses=list(DeliveryStatus),
        delivery_labels=outbox_rules.DELIVERY_STATUS_LABELS,
        waiting_note=outbox_rules.waiting_note(current_app.config["DELIVERY_SWEEP_SECONDS"]),
    )


@bp.route("/deliveries/<int:delivery_id>/resend", methods=["POST"])
@admin_required
def resend(delivery_id: int) -> Response:
    """Put a failed email back in line and queue the job that sends its kind."""
    back = request.form.get("back")
    back = back if is_local_redirect(back) else url_for("admin.deliveries")
    delivery = ledger.reopen_for_resend(db.session, delivery_id, utcnow())
    if delivery is None:
        abort(404)
    job: Task  # two jobs of different arguments: each gets the ones built for it
    args: tuple[object, ...]
    if delivery.kind.is_digest:
        job, args = (
            send_digest_chunk,
            (delivery.kind.value, [[delivery.recipient_id, delivery.period]], utcnow().isoformat()),
        )
    else:
        target = outbox_rules.reopen_activity(db.session, delivery)
        if target is None:
            db.session.rollback()
            flash(
                gettext("This email does not say which task it was about; it cannot be resent."),
                "error",
            )
            return redirect(back)
        job, args = flush_task_notifications, target
    db.session.commit()
    try:
        job.delay(*args)
    except OperationalError:
        flash(str(QUEUE_DOWN), "error")
    else:
        flash(gettext("Resend queued."), "success")
    return redirect(back)


# The Jobs page's schedule edits, pauses and retries live beside this module.
from app.operations import jobs_views as admin_jobs  # noqa: E402, F401
