"""Security headers on every response: no sniffing, no framing, scripts and styles from us only."""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The development mailbox shows emails as sent, and emails carry their CSS inline.
DEV_MAIL_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response, production: bool) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    policy = DEV_MAIL_POLICY if request.path.startswith("/dev/mail") else CONTENT_SECURITY_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    if production:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if signed_in():
        # A signed-in page is that person's: no browser back-button cache or shared proxy
        # may keep it for whoever uses the machine next.
        headers["Cache-Control"] = "no-store"
    return response


def signed_in() -> bool:
    """Whether this request loaded a signed-in person (Flask-Login keeps them on g); asks
    nothing of the database on requests that never looked, such as static files."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


def register(app: Flask) -> None:
    production = app.config["TICKLER_ENV"] == "production"
    app.after_request(lambda response: add_security_headers(response, production))
