"""The private iCalendar feed: its settings page (turn on, regenerate, turn off) and the feed
itself, read by calendar apps with no session, only the secret token in the URL."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.calendars import queries
from app.calendars.blueprint import bp
from app.calendars.ical import FeedSite, feed_calendar
from app.calendars.rules import feed_token_hash
from app.calendars.service import turn_off_feed, turn_on_feed
from app.core.i18n import in_language
from app.core.web.converters import parse_id
from app.extensions import db

# Calendar apps poll; a personal feed may be kept by the app for five minutes, never by a
# shared cache, and is then checked again with If-None-Match (a 304 costs four statements).
FEED_CACHE_CONTROL = "private, max-age=300"


def base_url() -> str:
    """Links and UIDs from the configured address, never from a request's Host header."""
    return str(current_app.config["APP_BASE_URL"]).rstrip("/")


def feed_site() -> FeedSite:
    return FeedSite(host=urlsplit(base_url()).hostname or "tickler", base_url=base_url())


def feed_urls(token: str) -> tuple[str, list[tuple[str, str]]]:
    """The person's feed URL, and one per project they belong to (name, URL)."""
    url = base_url() + url_for("calendar.feed", token=token)
    projects = queries.member_projects(db.session, current_user.id)
    return url, [(name, f"{url}?project={project_id}") for project_id, name in projects]


# Where a new token waits, in the person's own signed session, for the one page that shows it:
# POST, redirect, GET (so a reload neither asks to resubmit nor makes yet another token).
NEW_TOKEN_KEY = "calendar_feed_new_token"


@bp.route("/calendar/feed", methods=["GET", "POST"])
@login_required
def feed_settings() -> str | Response:
    """GET: whether the feed is on, and a URL just made (shown once: only its hash is kept).
    POST action=on|regenerate: a new token, then back here; action=off: revoke it."""
    if request.method == "POST":
        return change_feed(request.form.get("action"))
    token = session.pop(NEW_TOKEN_KEY, None)
    feed = queries.feed_of(db.session, current_user.id)
    if token is not None and feed is not None and feed.token_hash == feed_token_hash(token):
        url, project_urls = feed_urls(token)
        return render_template("calendars/feed.html", feed=feed, url=url, project_urls=project_urls)
    return render_template("calendars/feed.html", feed=feed, url=None, project_urls=[])


def change_feed(action: str | None) -> Response:
    if action in ("on", "regenerate"):
        session[NEW_TOKEN_KEY] = turn_on_feed(db.session, current_user.id)
        db.session.commit()
        if action == "on":
            message = gettext(
                "Your calendar feed is on. Copy the URL now: it is shown only this once."
            )
        else:
            message = gettext(
                "A new feed URL is ready. Copy the URL now: it is shown only this once."
            )
        flash(message, "success")
    elif action == "off":
        if turn_off_feed(db.session, current_user.id):
            db.session.commit()
            flash(gettext("Your calendar feed is off: its URL no longer works."), "success")
    else:
        flash(gettext("Choose to turn the feed on, make a new URL, or turn it off."), "error")
    return redirect(url_for("calendar.feed_settings"))


@bp.route("/calendar/feed/<token>.ics")
def feed(token: str) -> Response:
    """The person's open assigned tasks with due dates (or, with ?project=ID, that project's
    open tasks) as iCalendar. An unknown or revoked token is a plain 404, like any other
    missing page. Four statements whatever the number of tasks. Its fixed words (the
    calendar's name, each event's description) are in the owner's language, whoever asks."""
    owner = queries.feed_owner(db.session, feed_token_hash(token))
    if owner is None:
        raise NotFound()
    with in_language(owner.language):
        body = feed_body(owner.id)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = FEED_CACHE_CONTROL
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


def feed_body(owner_id: int) -> bytes:
    """The feed's iCalendar text: a project's (?project=ID) or the owner's own tasks."""
    if "project" in request.args:
        project_id = parse_id(request.args.get("project"))
        name = (
            queries.member_project_name(db.session, project_id, owner_id)
            if project_id is not None
            else None
        )
        if project_id is None or name is None:
            raise NotFound()
        tasks = queries.project_open_tasks(db.session, project_id)
        title = gettext("Tickler: %(project)s", project=name)
    else:
        tasks = queries.my_open_tasks(db.session, owner_id)
        title = gettext("Tickler: my tasks")
    reminders = queries.reminders_by_task(db.session, owner_id, (task.id for task in tasks))
    return bytes(feed_calendar(title, tasks, reminders, feed_site()).to_ical())
