"""/favicon.ico: browsers ask for it whatever the page links, so it answers instead of 404."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

bp = Blueprint("favicon", __name__)


@bp.route("/favicon.ico")
def icon() -> Response:
    """The SVG icon the pages link to; a permanent redirect, so browsers remember it."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
