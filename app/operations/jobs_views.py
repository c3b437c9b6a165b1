"""Admin › Jobs: schedule edits and pauses beat picks up, recent task runs, Retry, queue depths."""

from __future__ import annotations

from celery.schedules import ParseException
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from kombu.exceptions import OperationalError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.paging import parse_page
from app.extensions import db
from app.operations import schedule_settings
from app.operations.admin_views import QUEUE_DOWN, admin_required, bp
from app.operations.broker_durability import broker_durability_warnings
from app.operations.job_runs import job_overview, last_runs
from app.operations.queue_depths import queue_depths
from app.operations.task_runs import STATE_LABELS, STATES, recent_runs, retry_request
from app.schedule import find_job

CRONTAB_LIMIT = 128


def jobs_page() -> str:
    """Every scheduled job, the recent task runs (filtered, paged) and each queue's depth."""
    state = request.args.get("state") or None
    if state not in STATES:
        state = None
    page = parse_page(request.args.get("page"))
    housekeeping = request.args.get("housekeeping") == "1"
    settings = schedule_settings.settings_by_job(db.session)
    views = job_overview(dict(current_app.config), last_runs(db.session), utcnow(), settings)
    return render_template(
        "admin/jobs.html",
        jobs=views,
        runs=recent_runs(db.session, state, page, housekeeping),
        states=STATES,
        state_labels=STATE_LABELS,
        depths=queue_depths(current_app.extensions["celery"]),
        beat_tick=schedule_settings.last_beat_tick(db.session),
        broker_warnings=broker_durability_warnings(
            current_app.extensions["celery"], current_app.config["READYZ_TIMEOUT_SECONDS"]
        ),
    )


def _job_or_404(name: str) -> str:
    if find_job(name) is None:
        raise NotFound()
    return name


@bp.route("/jobs/<name>/schedule", methods=["POST"])
@admin_required
def edit_schedule(name: str) -> Response:
    job = _job_or_404(name)
    expression = " ".join((request.form.get("crontab") or "").split())
    if request.form.get("reset"):
        schedule_settings.set_crontab(db.session, job, None, current_user.id)
        db.session.commit()
        flash(gettext("%(job)s is back on its configured schedule.", job=job), "success")
        return redirect(url_for("admin.jobs"))
    if not expression or len(expression) > CRONTAB_LIMIT:
        flash(
            gettext(
                "Give %(job)s a crontab of five fields, e.g. '*/15 * * * *' or '0 8 * * 1'.",
                job=job,
            ),
            "error",
        )
        return redirect(url_for("admin.jobs"))
    try:
        schedule_settings.set_crontab(db.session, job, expression, current_user.id)
    except (ValueError, ParseException) as error:
        db.session.rollback()
        flash(
            gettext(
                "%(job)s: %(expression)s is not a valid crontab (%(error)s).",
                job=job,
                expression=repr(expression),
                error=error,
            ),
            "error",
        )
        return redirect(url_for("admin.jobs"))
    db.session.commit()
    seconds = current_app.config["BEAT_SCHEDULE_REFRESH_SECONDS"]
    flash(
        ngettext(
            "%(job)s now runs on '%(expression)s'; beat picks it up within %(num)d second.",
            "%(job)s now runs on '%(expression)s'; beat picks it up within %(num)d seconds.",
            seconds,
            job=job,
            expression=expression,
        ),
        "success",
    )
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs/<name>/pause", methods=["POST"])
@admin_required
def pause_job(name: str) -> Response:
    job = _job_or_404(name)
    schedule_settings.set_paused(db.session, job, True, current_user.id)
    db.session.commit()
    flash(
        gettext("%(job)s is paused; beat will not run it until you resume it.", job=job), "success"
    )
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs/<name>/resume", methods=["POST"])
@admin_required
def resume_job(name: str) -> Response:
    job = _job_or_404(name)
    schedule_settings.set_paused(db.session, job, False, current_user.id)
    db.session.commit()
    flash(gettext("%(job)s is running on schedule again.", job=job), "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs/runs/<int:run_id>/retry", methods=["POST"])
@admin_required
def retry_run(run_id: int) -> Response:
    """Send a failed task again with its real (unredacted) arguments, under a new id."""
    found = retry_request(db.session, run_id)
    if found is None:
        flash(gettext("Only a failed run can be retried."), "error")
        return redirect(url_for("admin.jobs"))
    name, args, kwargs = found
    try:
        result = current_app.extensions["celery"].send_task(name, args=args, kwargs=kwargs)
    except OperationalError:
        flash(str(QUEUE_DOWN), "error")
    else:
        flash(gettext("%(name)s sent again (job %(id)s).", name=name, id=result.id), "success")
    return redirect(url_for("admin.jobs", state=request.args.get("state") or None))
