"""The API's place in the app: OpenAPI 3.1 at /api/v1/openapi.json (the docs page at /api/docs
is app/api/docs_views.py), every API blueprint behind a Bearer token and its rate limit, outside
CSRF (no cookie is ever read there)."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_smorest import Blueprint
from werkzeug.wrappers import Response

from app.api import auth, rate_limits, webhook_docs
from app.api.spec_problems import ProblemResponses
from app.extensions import api, csrf

OPENAPI_SETTINGS: dict[str, Any] = {
    "API_TITLE": "Tickler API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "v1/openapi.json",
    # No OPENAPI_SWAGGER_UI_PATH: flask-smorest's page has an inline script the CSP blocks;
    # app/api/docs_views.py serves /api/docs from the vendored Swagger UI instead.
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Tickler's REST API: the same rules, permissions and notifications "
            "as the pages. Authenticate with a personal access token made on your profile: "
            "`Authorization: Bearer tkl_...`.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
    },
}


def api_blueprints() -> list[Blueprint]:
    """Every API blueprint; each resource module adds its own here."""
    from app.api import (
        checklists,
        comments,
        exports,
        labels,
        me,
        notifications,
        projects,
        recurring,
        reminders,
        search,
        task_labels,
        tasks,
        webhooks,
    )

    return [
        me.blp,
        projects.blp,
        tasks.blp,
        comments.blp,
        task_labels.blp,
        checklists.blp,
        search.blp,
        labels.blp,
        notifications.blp,
        exports.blp,
        webhooks.blp,
        reminders.blp,
        recurring.blp,
    ]


def register_api(app: Flask) -> None:
    for name, value in OPENAPI_SETTINGS.items():
        app.config.setdefault(name, value)
    # A plugin made per app: it registers the problem responses in this app's document.
    api.init_app(app, spec_kwargs={"extra_plugins": [ProblemResponses()]})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "tkl_..."}
    )
    names = set()
    for blueprint in api_blueprints():
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
        names.add(blueprint.name)
    webhook_docs.document_webhooks(api.spec)

    # On the app, not the blueprints: a blueprint is made once per process, the app once per
    # create_app (the tests make many).
    @app.before_request
    def authenticate_api_requests() -> None:
        if request.blueprint in names:
            auth.authenticate()
            # After the token is known: counted per token, whatever address it comes from.
            rate_limits.count_request(auth.api_token())

    @app.after_request
    def add_rate_limit_headers(response: Response) -> Response:
        return rate_limits.add_rate_headers(response)
