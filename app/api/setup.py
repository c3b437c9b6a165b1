"""The API's place in the app: OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/docs, every
API blueprint behind a Bearer token, outside CSRF (no cookie is ever read there)."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_smorest import Blueprint

from app.api import auth, webhook_docs
from app.api.spec_problems import ProblemResponses
from app.extensions import api, csrf

OPENAPI_SETTINGS: dict[str, Any] = {
    "API_TITLE": "Tickler API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "v1/openapi.json",
    # Swagger UI from the app's own static files (vendored), never a CDN.
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
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
    from app.api import me

    return [me.blp]


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
