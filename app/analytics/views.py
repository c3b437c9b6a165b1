"""Analytics pages: a project's numbers and my own, read from the cache the jobs fill."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.analytics import rules as analytics
from app.analytics.charts import (
    bar_chart,
    horizontal_bars,
    line_chart,
    week_axis_label,
    week_label,
)
from app.analytics.jobs import compute_project_analytics, compute_user_analytics
from app.analytics.models import AnalyticsScope, AnalyticsSnapshot
from app.analytics.queries import read_snapshot
from app.core.database import utcnow
from app.core.i18n import format_number
from app.core.queueing import try_queue
from app.extensions import db
from app.projects.access import load_project
from app.tasklist.models import TaskPriority, TaskStatus

bp = Blueprint("analytics", __name__)

BROKER_DOWN = lazy_gettext(
    "The numbers could not be queued for computing right now; try again in a minute."
)


# A label's name in a chart's margin; the full name is in the bar's tooltip and the table.
CHART_LABEL_CHARACTERS = 12


def short_label(name: str) -> str:
    if len(name) <= CHART_LABEL_CHARACTERS:
        return name
    return name[: CHART_LABEL_CHARACTERS - 1] + "…"


def label_chart(data: dict[str, Any], subject: str) -> Markup | None:
    """Open tasks per label (snapshots made before labels existed have none: no chart)."""
    rows = data.get("by_label") or []
    if not rows:
        return None
    return horizontal_bars(
        "chart-labels",
        gettext("%(subject)s: open tasks by label", subject=subject),
        [(row["name"], row["open"], "label-bar") for row in rows],
        gettext("open tasks"),
        margin_text=short_label,
        value_text=_open_tasks,
    )


def _open_tasks(label: str, value: int) -> str:
    return ngettext(
        "%(label)s: %(count)s open task",
        "%(label)s: %(count)s open tasks",
        value,
        label=label,
        count=format_number(value),
    )


def _tasks(label: str, value: int) -> str:
    return ngettext(
        "%(label)s: %(count)s task",
        "%(label)s: %(count)s tasks",
        value,
        label=label,
        count=format_number(value),
    )


def _completed(label: str, value: int) -> str:
    return ngettext(
        "%(label)s: %(count)s completed",
        "%(label)s: %(count)s completed",
        value,
        label=label,
        count=format_number(value),
    )


def charts(data: dict[str, Any], subject: str) -> dict[str, Markup | None]:
    """The page's charts, titled with `subject` (a project name or 'My tasks')."""
    labels = [week_label(day) for day in data["weeks"]]
    axis = [week_axis_label(day) for day in data["weeks"]]
    return {
        "labels": label_chart(data, subject),
        "completed": bar_chart(
            "chart-completed",
            gettext("%(subject)s: tasks completed per week", subject=subject),
            labels,
            data["completed_per_week"],
            gettext("completed"),
            value_text=_completed,
            axis=axis,
        ),
        "open_overdue": line_chart(
            "chart-open-overdue",
            gettext("%(subject)s: open and overdue tasks at the end of each week", subject=subject),
            labels,
            [
                (gettext("Open"), data["open"], "series-open"),
                (gettext("Overdue"), data["overdue"], "series-overdue"),
            ],
            axis=axis,
        ),
        "status": horizontal_bars(
            "chart-status",
            gettext("%(subject)s: tasks by status now", subject=subject),
            [(s.label, data["by_status"].get(s.value, 0), f"s-{s.value}") for s in TaskStatus],
            gettext("tasks"),
            value_text=_tasks,
        ),
        "priority": horizontal_bars(
            "chart-priority",
            gettext("%(subject)s: tasks by priority now", subject=subject),
            [(p.label, data["by_priority"].get(p.value, 0), f"p-{p.value}") for p in TaskPriority],
            gettext("tasks"),
            value_text=_tasks,
        ),
    }


def render_page(snapshot: AnalyticsSnapshot | None, subject: str, **context: Any) -> str:
    view = None
    if snapshot is not None:
        data = snapshot.data
        view = {
            "charts": charts(data, subject),
            "age": analytics.age_in_words(snapshot.computed_at, utcnow()),
            "computed_at": snapshot.computed_at,
            "median": analytics.format_duration(data["median_completion_seconds"]),
            "on_time_rate": analytics.format_rate(data["on_time_rate"]),
            "data": data,
        }
    return render_template("analytics/page.html", view=view, subject=subject, **context)


@bp.route("/projects/<int:project_id>/analytics")
@login_required
def project(project_id: int) -> str:
    project = load_project(project_id)
    snapshot = read_snapshot(db.session, AnalyticsScope.PROJECT, project.id)
    queued = None
    if snapshot is None:
        queued = try_queue(compute_project_analytics, project.id) is not None
    return render_page(
        snapshot,
        project.name,
        project=project,
        queued=queued,
        refresh_url=url_for("analytics.refresh_project", project_id=project.id),
    )


@bp.route("/projects/<int:project_id>/analytics/refresh", methods=["POST"])
@login_required
def refresh_project(project_id: int) -> Response:
    project = load_project(project_id)
    _flash_queued(try_queue(compute_project_analytics, project.id) is not None)
    return redirect(url_for("analytics.project", project_id=project.id))


@bp.route("/analytics/me")
@login_required
def mine() -> str:
    snapshot = read_snapshot(db.session, AnalyticsScope.USER, current_user.id)
    queued = None
    if snapshot is None:
        queued = try_queue(compute_user_analytics, current_user.id) is not None
    return render_page(
        snapshot,
        gettext("My tasks"),
        project=None,
        queued=queued,
        refresh_url=url_for("analytics.refresh_mine"),
    )


@bp.route("/analytics/me/refresh", methods=["POST"])
@login_required
def refresh_mine() -> Response:
    _flash_queued(try_queue(compute_user_analytics, current_user.id) is not None)
    return redirect(url_for("analytics.mine"))


def _flash_queued(queued: bool) -> None:
    if queued:
        flash(gettext("Recomputing the numbers; reload the page in a moment."), "success")
    else:
        flash(str(BROKER_DOWN), "error")
