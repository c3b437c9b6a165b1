"""Quick add: the preview of a line (a page, or a fragment the box's script fetches) and saving
it, read again at saving."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.queueing import kept_for_later
from app.core.timezones import format_local
from app.extensions import db
from app.projects.access import load_project
from app.quickadd import service
from app.quickadd.dates import person_date_languages

bp = Blueprint("quickadd", __name__)

# A saved line is read against the moment its preview was shown ("in 2 hours" means what the
# preview said), unless that preview is older than this.
PREVIEW_KEPT = timedelta(hours=12)
TEXT_MAX_LENGTH = 500
QUEUE_DOWN_SAVED = lazy_gettext(
    "Saved. The task queue is not reachable right now, so notifications about this task "
    "will go out as soon as it is back."
)
ORIGINS = {"list": "tasks.project_tasks", "board": "board.show"}


def person_languages() -> tuple[str, ...]:
    """The person's languages of dates: the one they read Tickler in first, then English,
    then their browser's others."""
    return person_date_languages(
        current_user.language, [tag for tag, _ in request.accept_languages]
    )


def reading_moment(posted: str | None, now: datetime) -> datetime:
    """The preview's moment if the form carries a believable one, else now."""
    try:
        moment = datetime.fromisoformat(posted or "")
    except ValueError:
        return now
    if moment.tzinfo is None or not now - PREVIEW_KEPT <= moment <= now:
        return now
    return moment


def known_origin(value: str | None) -> str:
    """The page the box was on (list or board), to go back to after saving."""
    return value if value in ORIGINS else "list"


def posted_text(value: str | None) -> str:
    return (value or "")[:TEXT_MAX_LENGTH]


@bp.route("/projects/<int:project_id>/quick-add")
@login_required
def preview(project_id: int) -> str:
    """What a line would create, before anything is saved; `fragment=1` for the live preview."""
    project = load_project(project_id)
    text = posted_text(request.args.get("text"))
    origin = known_origin(request.args.get("from"))
    now = utcnow()
    parsed = (
        service.read_line(db.session, project.id, current_user, text, person_languages(), now)
        if text.strip()
        else None
    )
    template = "quickadd/_preview.html" if request.args.get("fragment") else "quickadd/preview.html"
    return render_template(
        template, project=project, text=text, parsed=parsed, origin=origin, read_at=now.isoformat()
    )


@bp.route("/projects/<int:project_id>/quick-add/save", methods=["POST"])
@login_required
def save(project_id: int) -> str | Response:
    project = load_project(project_id)
    text = posted_text(request.form.get("text"))
    origin = known_origin(request.form.get("from"))
    moment = reading_moment(request.form.get("read_at"), utcnow())
    parsed = service.read_line(
        db.session, project.id, current_user, text, person_languages(), moment
    )
    try:
        task = service.save_line(db.session, project.id, current_user, parsed)
    except RuleViolation:
        db.session.rollback()
        return render_template(
            "quickadd/preview.html",
            project=project,
            text=text,
            parsed=parsed,
            origin=origin,
            read_at=moment.isoformat(),
        )
    db.session.commit()
    if kept_for_later(db.session):
        flash(str(QUEUE_DOWN_SAVED), "info")
    if task.due_at:
        message = gettext(
            "Task “%(title)s” created, due %(due)s.",
            title=task.title,
            due=format_local(task.due_at, current_user.timezone),
        )
    else:
        message = gettext("Task “%(title)s” created.", title=task.title)
    flash(message, "success")
    return redirect(url_for(ORIGINS[origin], project_id=project.id))
