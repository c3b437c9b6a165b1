"""Error answers in the OpenAPI document: each status an endpoint can give, as problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from app.api.schemas import ProblemSchema
from app.core.web.problems import PROBLEM_JSON

F = TypeVar("F", bound=Callable[..., Any])

# What each status means here; the body is always RFC 9457 problem details.
DESCRIPTIONS = {
    401: "No usable token (missing, revoked, expired).",
    403: "The token lacks the scope, or only the project's owners may do this.",
    404: "Not found, or it belongs to a team you are not on.",
    409: "Not possible in the object's present state.",
    410: "Gone: the file has expired.",
    412: "Changed since you read it: the If-Match ETag is stale.",
    422: "Invalid input or a broken rule; `errors` names the failing fields.",
    429: "Too many requests with this token; see RateLimit headers.",
}


def problems(blp: Blueprint, *codes: int) -> Callable[[F], F]:
    """Document `codes` as problem+json, with 401 and 403 that every API call can answer (no
    token; a token without the method's scope)."""

    def decorate(function: F) -> F:
        for code in sorted({401, 403, *codes}, reverse=True):
            function = blp.alt_response(
                code,
                schema=ProblemSchema,
                content_type=PROBLEM_JSON,
                description=DESCRIPTIONS[code],
            )(function)
        return function

    return decorate


def rule_broken(field: str, error: Exception) -> UnprocessableEntity:
    """A service's RuleViolation as a 422 naming the field it is about (errors: [{field,
    message}]), as a page shows the message by that field."""
    failed = UnprocessableEntity(str(error))
    failed.data = {"messages": {"json": {field: [str(error)]}}}  # type: ignore[attr-defined]
    return failed


# Response headers, as the OpenAPI document describes them.
LINK = {
    "Link": {
        "description": 'RFC 8288: the next page, `<...?cursor=...>; rel="next"`; none on the last.',
        "schema": {"type": "string"},
    }
}
ETAG = {
    "ETag": {
        "description": "Send it back in If-Match to change this object.",
        "schema": {"type": "string"},
    }
}
LOCATION = {"Location": {"description": "Where the new object is.", "schema": {"type": "string"}}}
IF_MATCH = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": "The ETag you read: if the object changed since, nothing is changed "
            "and the answer is 412.",
        }
    ]
}
