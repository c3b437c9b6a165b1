"""Friendly error pages, and JSON errors for clients that ask for JSON."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.wrappers import Response

from app.core.errors import Forbidden, NotFound, RuleViolation
from app.core.web.problems import field_errors, is_api_request, problem
from app.extensions import db

# Titles and sentences for each status, put into words when shown, in the reader's language.
MESSAGES = {
    400: (_l("This request did not make sense"), _l("Something in what was sent was malformed.")),
    403: (_l("Not allowed"), _l("You can see this, but only the project's owners can change it.")),
    404: (_l("Not found"), _l("That page does not exist, or it belongs to a team you are not on.")),
    410: (_l("Gone"), _l("It has expired and is no longer kept.")),
    401: (_l("Not signed in"), _l("Send a personal access token: Authorization: Bearer tkl_...")),
    405: (_l("Not allowed"), _l("That action cannot be done that way.")),
    409: (_l("Conflict"), _l("That clashes with something already there.")),
    412: (
        _l("Changed since you read it"),
        _l("Someone changed this since your copy (If-Match): fetch it again, then retry."),
    ),
    413: (
        _l("Too much at once"),
        _l("What was sent is larger than Tickler accepts. Send less at a time."),
    ),
    415: (_l("Unsupported media type"), _l("Send JSON (Content-Type: application/json).")),
    422: (_l("Invalid input"), _l("Some fields are missing or wrong; see errors.")),
    428: (_l("If-Match required"), _l("Send the ETag you read in If-Match, so no change is lost.")),
    429: (_l("Slow down"), _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("The error was logged. Nothing you did caused it; try again."),
    ),
}


def _render(
    code: int, detail: str | None = None, errors: list[dict[str, str]] | None = None
) -> tuple[Response | str, int]:
    lazy_title, lazy_message = MESSAGES.get(code, (_l("Error"), _l("Something went wrong.")))
    title, message = str(lazy_title), str(lazy_message)
    if is_api_request():
        return problem(code, title, detail or message, errors), code
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": title, "message": detail or message}), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        return _render(
            400,
            gettext(
                "The form had expired or was not sent from Tickler. Go back, reload, and try again."
            ),
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> tuple[Response, int]:
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page with links.
        return Response("Unknown host.\n", mimetype="text/plain"), 400  # i18n: internal

    # The rules raise these wherever a person may not see or change an object; one mapping here
    # instead of a try/except in every view that loads one.
    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> tuple[Response | str, int]:
        return _render(404)

    @app.errorhandler(Forbidden)
    def forbidden(error: Forbidden) -> tuple[Response | str, int]:
        return _render(403, (str(error) or None) if is_api_request() else None)

    # A rule the services check (a page shows it on the form): the API says it with a 422.
    @app.errorhandler(RuleViolation)
    def rule_broken(error: RuleViolation) -> tuple[Response | str, int]:
        if not is_api_request():
            return unexpected_error(error)  # views catch the rules they expect
        return _render(422, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        # abort(code, description=...) says what is true there (e.g. admins only);
        # werkzeug's stock descriptions give way to the friendlier messages above.
        # Flask-Limiter's description is the limit itself ("3 per 1 minute"), not a sentence.
        stock = type(error).description
        told = (
            None
            if isinstance(error, RateLimitExceeded) or error.description == stock
            else error.description
        )
        data = getattr(error, "data", None)
        errors = field_errors(data.get("messages")) if isinstance(data, dict) else None
        rendered, code = _render(error.code or 500, told, errors)
        if is_api_request() and isinstance(rendered, Response):
            # 401's WWW-Authenticate, 405's Allow, 429's Retry-After keep their headers.
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    rendered.headers[name] = value
        return rendered, code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        # A failed statement leaves the session unusable; roll back so the error page renders.
        db.session.rollback()
        return _render(500)
