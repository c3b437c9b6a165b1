"""Rate limits per token: every API request counts against its token (not the client's address)
in Flask-Limiter's store, and every answer says where the count stands in the IETF RateLimit
headers (draft-ietf-httpapi-ratelimit-headers), with Retry-After on a 429."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app, g
from flask_babel import ngettext
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from app.api.models import ApiToken
from app.extensions import limiter

SETTING = "API_RATE_LIMIT"


@dataclass(frozen=True)
class RateState:
    limit: int
    window: int  # seconds
    remaining: int
    reset: int  # seconds until the window starts again


class TokenRateLimited(TooManyRequests):
    """A 429 whose message says the limit and the wait; Retry-After in its headers."""


def token_key(token: ApiToken) -> str:
    # The id alone could name an earlier token after a database is emptied (tests, a restore);
    # the hash's start is unique per secret and reveals nothing of it.
    return f"{token.id}-{token.token_hash[:16]}"


def count_request(token: ApiToken) -> RateState | None:
    """Count one request against `token`; raise a 429 past its allowance. The state is kept
    on `g` for the headers of whatever the answer turns out to be."""
    item: RateLimitItem = parse(current_app.config[SETTING])
    try:
        allowed = limiter.limiter.hit(item, "api", token_key(token))
        reset_at, remaining = limiter.limiter.get_window_stats(item, "api", token_key(token))
    except Exception:  # the store's own errors (Redis down) have no common base class
        # An unreachable store must not take the API down with it: the request goes through
        # uncounted, without RateLimit headers, and the log says so (as the login limits
        # fall back to counting per process).
        current_app.logger.warning("API rate limit store unreachable; request not counted")
        return None
    state = RateState(
        limit=item.amount,
        window=item.get_expiry(),
        remaining=max(0, remaining),
        reset=max(0, math.ceil(reset_at - time.time())),
    )
    g.api_rate = state
    if not allowed:
        raise TokenRateLimited(
            description=ngettext(
                "This token may make %(limit)s requests per %(window)s seconds; wait "
                "%(num)d second and try again.",
                "This token may make %(limit)s requests per %(window)s seconds; wait "
                "%(num)d seconds and try again.",
                state.reset,
                limit=item.amount,
                window=state.window,
            ),
            retry_after=max(1, state.reset),
        )
    return state


def add_rate_headers(response: Response) -> Response:
    """RateLimit-Policy and RateLimit (the draft's current form), and the older
    RateLimit-Limit/-Remaining/-Reset many clients still read."""
    state: RateState | None = g.get("api_rate")
    if state is not None:
        headers = response.headers
        headers["RateLimit-Policy"] = f"{state.limit};w={state.window}"
        headers["RateLimit"] = (
            f"limit={state.limit}, remaining={state.remaining}, reset={state.reset}"
        )
        headers["RateLimit-Limit"] = str(state.limit)
        headers["RateLimit-Remaining"] = str(state.remaining)
        headers["RateLimit-Reset"] = str(state.reset)
    return response
