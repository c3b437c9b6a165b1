"""OpenAPI helpers: the problem+json answers every operation can give, documented in one call,
so a fuzzer finds every status code it meets in the document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from app.api.schemas import ProblemSchema

F = TypeVar("F", bound=Callable[..., Any])

# What any authenticated operation may answer: malformed JSON, no or a dead token, a missing
# scope, an id of another team, bad input, too many requests.
COMMON_PROBLEMS = (400, 401, 403, 404, 422, 429)
PROBLEM_TEXT = {
    304: "Not modified: the ETag in If-None-Match is still current.",
    400: "The request was malformed.",
    401: "No token, or a revoked, expired or unknown one.",
    403: "The token lacks the scope, or the person may not do this.",
    404: "No such object, or it belongs to a team the person is not on.",
    409: "The object's state is in the way (e.g. restoring a task that is not in the Trash).",
    410: "Gone: the file has expired.",
    412: "If-Match named an ETag that is no longer current: nothing was changed.",
    415: "Send JSON (Content-Type: application/json).",
    422: "Invalid input; `errors` names each failing field.",
    429: "Too many requests for this token; see RateLimit and Retry-After.",
}
ETAG_HEADER = {
    "ETag": {
        "description": "A strong validator of this representation.",
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER = {
    "Location": {"description": "The new object's URL.", "schema": {"type": "string"}}
}
LINK_HEADER = {
    "Link": {
        "description": 'RFC 8288 `<url>; rel="next"` when there is a next page.',
        "schema": {"type": "string"},
    }
}


def problems(blp: Blueprint, *extra: int) -> Callable[[F], F]:
    """Document the common problem answers (and `extra` ones, e.g. 412) on an operation."""

    def decorate(view: F) -> F:
        for code in sorted({*COMMON_PROBLEMS, *extra}):
            view = blp.alt_response(
                code,
                schema=ProblemSchema,
                content_type="application/problem+json",
                description=PROBLEM_TEXT.get(code),
            )(view)
        return view

    return decorate


def not_modified(blp: Blueprint) -> Callable[[F], F]:
    """Document the bodiless 304 of a conditional GET."""
    return blp.alt_response(304, description=PROBLEM_TEXT[304], headers=ETAG_HEADER)


def task_links(prefix: str = "") -> dict[str, Any]:
    """OpenAPI links from an answer carrying a task's `id` to the operations on that task, so
    stateful fuzzing (and readers) can follow them."""
    task_id = {"task_id": "$response.body#/id"}
    return {
        f"{prefix}GetTask": {"operationId": "getTask", "parameters": task_id},
        f"{prefix}UpdateTask": {"operationId": "updateTask", "parameters": task_id},
        f"{prefix}ListComments": {"operationId": "listComments", "parameters": task_id},
        f"{prefix}AddComment": {"operationId": "addComment", "parameters": task_id},
        f"{prefix}CompleteTask": {"operationId": "completeTask", "parameters": task_id},
        f"{prefix}DeleteTask": {"operationId": "deleteTask", "parameters": task_id},
    }


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


def rule_broken(field: str, error: Exception) -> UnprocessableEntity:
    """A service's RuleViolation as a 422 naming the field it is about (errors: [{field,
    message}]), as a page shows the message by that field."""
    failed = UnprocessableEntity(str(error))
    failed.data = {"messages": {"json": {field: [str(error)]}}}  # type: ignore[attr-defined]
    return failed
