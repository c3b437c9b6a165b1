"""Filters and globals the templates use: dates in the viewer's zone, labels, query strings;
each feature registers its own (the bell, overdue tasks) beside these."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from app.core.database import utcnow
from app.core.email.render import absolute_url
from app.core.mentions import mention_spans
from app.core.timezones import format_local, timezone_in_words
from app.core.web.markdown import render_markdown

PRIORITY_CLASSES = {
    "low": "p-low",
    "medium": "p-medium",
    "high": "p-high",
    "critical": "p-critical",
}


def viewer_timezone() -> str:
    return current_user.timezone if current_user.is_authenticated else "UTC"


def local_datetime(moment: datetime | None) -> str:
    return format_local(moment, viewer_timezone())


def relative_due(moment: datetime | None) -> str:
    """'in 3 hours', '2 days ago': how far a due date is, at a glance."""
    if moment is None:
        return gettext("no due date")
    seconds = (moment - utcnow()).total_seconds()
    past, seconds = seconds < 0, abs(seconds)
    if seconds >= 86400:
        days = int(seconds // 86400)
        if past:
            return ngettext("%(num)d day ago", "%(num)d days ago", days)
        return ngettext("in %(num)d day", "in %(num)d days", days)
    if seconds >= 3600:
        hours = int(seconds // 3600)
        if past:
            return ngettext("%(num)d hour ago", "%(num)d hours ago", hours)
        return ngettext("in %(num)d hour", "in %(num)d hours", hours)
    if seconds >= 60:
        minutes = int(seconds // 60)
        if past:
            return ngettext("%(num)d minute ago", "%(num)d minutes ago", minutes)
        return ngettext("in %(num)d minute", "in %(num)d minutes", minutes)
    return gettext("just now")


_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)]}'\""


def linkify(text: str, member_handles: frozenset[str] = frozenset()) -> Markup:
    """Escape user text, then make its http(s) links clickable and mark the @mentions of
    `member_handles`; nothing else becomes markup."""
    pieces, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        pieces.append(_with_mentions(text[last : match.start()], member_handles))
        pieces.append(
            Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>').format(url)
        )
        last = end
    pieces.append(_with_mentions(text[last:], member_handles))
    return Markup("").join(pieces)


def _with_mentions(text: str, member_handles: frozenset[str]) -> Markup:
    """Escaped text with each @mention of a member in a <span class="mention">."""
    pieces, last = [], 0
    for start, end in mention_spans(text, member_handles) if member_handles else []:
        pieces.append(escape(text[last:start]))
        pieces.append(Markup('<span class="mention">{0}</span>').format(text[start:end]))
        last = end
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def url_with(**changes: Any) -> str:
    """The current page's URL with some query parameters replaced (for pagers and sorting)."""
    view_args = request.view_args or {}
    args: dict[str, Any] = {  # url_for's **values are Any
        key: values
        for key, values in request.args.to_dict(flat=False).items()
        if passable_query_key(key, view_args)
    }
    for key, value in changes.items():
        args[key] = [str(value)]
    assert request.endpoint is not None  # a page that a route answered
    return url_for(request.endpoint, **view_args, **args)


def passable_query_key(key: str, view_args: dict[str, Any]) -> bool:
    """Whether a query parameter may be handed back to url_for as a value.

    url_for reads `endpoint` and `_external`, `_scheme`, `_anchor`, `_method` as its own
    arguments (a link to another host, or a TypeError); a name of the route's own values
    would be given twice. Such parameters mean nothing to a list, so the pager drops them."""
    return not key.startswith("_") and key != "endpoint" and key not in view_args


def register(app: Flask) -> None:
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(relative_due, "relative_due")
    app.add_template_filter(linkify, "linkify")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(timezone_in_words, "timezone_words")
    app.add_template_global(url_with, "url_with")
    app.add_template_global(absolute_url, "absolute_url")
    app.add_template_global(viewer_timezone, "viewer_timezone")
    app.jinja_env.globals["PRIORITY_CLASSES"] = PRIORITY_CLASSES  # a dict, not a function
