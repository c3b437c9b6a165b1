"""Who is calling the API: the Bearer token, never a cookie, and what its scopes allow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import abort, g, request
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import Unauthorized

from app.accounts.models import User
from app.api.models import ADMIN, READ, WRITE, ApiToken
from app.api.tokens import note_use, usable_token
from app.core.database import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

# Reading needs "read"; anything that changes something needs "write".
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = 'Bearer realm="tickler"'


class TokenRequired(Unauthorized):
    description = lazy_gettext("Send a personal access token: Authorization: Bearer tkl_...")

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", CHALLENGE)]


def bearer_secret() -> str | None:
    scheme, _, secret = (request.headers.get("Authorization") or "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def authenticate() -> None:
    """Before every API request: load the token and its person into `g`, or answer 401; a
    token without the scope the method needs answers 403. Cookies are never looked at."""
    secret = bearer_secret()
    now = utcnow()
    token = usable_token(db.session, secret, now) if secret else None
    user = db.session.get(User, token.user_id) if token is not None else None
    if token is None or user is None or not user.is_active:
        # The token's person is not known here: Accept-Language (else English) chooses.
        raise TokenRequired(
            gettext("The token is missing, revoked, expired or not a Tickler token.")
            if secret
            else str(TokenRequired.description)
        )
    needed = READ if request.method in SAFE_METHODS else WRITE
    if needed not in token.scope_set:
        g.api_user = user  # the refusal is written in the token owner's language
        abort(403, description=gettext("This token lacks the '%(scope)s' scope.", scope=needed))
    if note_use(db.session, token, now):
        # Once a minute per token; a commit on every request would also make every object
        # loaded so far be read again.
        db.session.commit()
    g.api_token, g.api_user = token, user


def api_user() -> User:
    """The person the request's token belongs to (after `authenticate`)."""
    user: User = g.api_user
    return user


def api_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def require_admin() -> None:
    """Admin endpoints: an admin's token with the admin scope."""
    if ADMIN not in api_token().scope_set or not api_user().is_admin:
        abort(403, description=gettext("This needs an admin's token with the 'admin' scope."))
