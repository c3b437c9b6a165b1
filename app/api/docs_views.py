"""/api/docs: the API reference, Swagger UI from the app's own static files reading
/api/v1/openapi.json. Our page rather than flask-smorest's, whose inline script the CSP blocks."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

bp = Blueprint("api_docs", __name__)


@bp.route("/api/docs")
def page() -> str:
    """Public, like the OpenAPI document it shows: it holds no data, only the API's shape."""
    return render_template("api/docs.html", openapi_url=url_for("api-docs.openapi_json"))
