"""Calendar pages: a project's month and week, "my tasks" month and week, moving a task to
another day (drag and drop, keyboard, or the no-script "Move to…" form)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.calendars import feed_views, queries
from app.calendars.blueprint import bp
from app.calendars.pages import MONTH, WEEK, CalendarPage, calendar_page, requested_period
from app.calendars.rules import parse_day, today_in, utc_bounds
from app.calendars.service import move_task_to_day
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.queueing import kept_for_later
from app.core.timezones import format_local
from app.core.web.converters import parse_id
from app.extensions import db
from app.projects.access import load_project
from app.projects.models import Project
from app.tasklist.access import load_task

__all__ = ["bp", "feed_views"]  # app/__init__.py registers bp, with the feed routes on it

PARAMS = {MONTH: "month", WEEK: "week"}
ENDPOINTS = {
    (MONTH, True): "calendar.project_month",
    (WEEK, True): "calendar.project_week",
    (MONTH, False): "calendar.my_month",
    (WEEK, False): "calendar.my_week",
}
QUEUE_DOWN_SAVED = lazy_gettext(
    "Moved. The task queue is not reachable right now, so notifications about this change will "
    "go out as soon as it is back."
)


def _live_project(project_id: int) -> Project:
    """The project for a member; a deleted one (in the Trash) is not found, as for outsiders."""
    project = load_project(project_id)
    if project.deleted_at is not None:
        raise NotFound()
    return project


def _page(kind: str, project: Project | None) -> CalendarPage:
    """The period from the URL, its tasks in the viewer's zone, and its navigation links."""
    timezone_name, now = current_user.timezone, utcnow()
    value = request.args.get(PARAMS[kind])
    period, unreadable = requested_period(kind, value, today_in(timezone_name, now))
    if unreadable:
        if kind == MONTH:
            message = gettext(
                "“%(value)s” is not a month (write it as 2026-12); showing this month.", value=value
            )
        else:
            message = gettext(
                "“%(value)s” is not a week (write it as 2026-12-07); showing this week.",
                value=value,
            )
        flash(message, "error")
    start, end = utc_bounds(period, timezone_name)
    if project is None:
        tasks = queries.my_tasks_between(db.session, current_user.id, start, end)
    else:
        tasks = queries.project_tasks_between(db.session, project.id, start, end)

    project_id = project.id if project is not None else None

    def link(view_kind: str, view_value: str) -> str:
        return calendar_url(view_kind, project_id, view_value)

    return calendar_page(kind, period, tasks, timezone_name, now, link)


def calendar_url(kind: str, project_id: int | None, value: str | None) -> str:
    """A project's or my month or week page, at `value` ('2026-12', '2026-12-07') if given."""
    values: dict[str, Any] = {"project_id": project_id} if project_id is not None else {}
    if value:
        values[PARAMS[kind]] = value
    return url_for(ENDPOINTS[(kind, project_id is not None)], **values)


def _render(kind: str, project: Project | None) -> str:
    return render_template(
        "calendars/calendar.html",
        cal=_page(kind, project),
        project=project,
        current_endpoint=ENDPOINTS[(kind, project is not None)],
    )


@bp.route("/projects/<int:project_id>/calendar")
@login_required
def project_month(project_id: int) -> str:
    return _render(MONTH, _live_project(project_id))


@bp.route("/projects/<int:project_id>/calendar/week")
@login_required
def project_week(project_id: int) -> str:
    return _render(WEEK, _live_project(project_id))


@bp.route("/calendar")
@login_required
def my_month() -> str:
    return _render(MONTH, None)


@bp.route("/calendar/week")
@login_required
def my_week() -> str:
    return _render(WEEK, None)


@bp.route("/calendar/tasks/<int:task_id>/move", methods=["POST"])
@login_required
def move(task_id: int) -> Response:
    """Move a task to the day posted, keeping its time of day; back to the calendar it came
    from, showing the day it landed on. A task outside the person's projects is not found."""
    task = load_task(task_id)
    kind = WEEK if request.form.get("view") == WEEK else MONTH
    project_id = parse_id(request.form.get("project_id"))
    day = parse_day(request.form.get("day"))
    back_value: str | None = None
    if day is None:
        flash(gettext("Choose the day to move the task to (a date such as 2026-12-07)."), "error")
    else:
        try:
            due_at = move_task_to_day(
                db.session, task, day, current_user.timezone, actor_id=current_user.id
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            if kept_for_later(db.session):
                flash(str(QUEUE_DOWN_SAVED), "info")
            when = format_local(due_at, current_user.timezone)
            flash(gettext("Moved “%(title)s” to %(when)s.", title=task.title, when=when), "success")
            back_value = day.strftime("%Y-%m") if kind == MONTH else day.isoformat()
    return redirect(calendar_url(kind, project_id, back_value) + f"#task-{task.id}")
