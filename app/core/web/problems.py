"""RFC 9457 problem details: how every API error answers, with the failing fields named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import json, request
from werkzeug.wrappers import Response

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request() -> bool:
    """API requests answer in problem+json and never see a page."""
    return request.path.startswith(API_PREFIX)


def field_errors(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """webargs/marshmallow messages ({"json": {"title": ["Missing data."]}}) as a flat list
    of {"field": "title", "message": "..."} (nested fields dotted: "labels.0")."""
    found: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            # The location level (json, query, headers) is not part of the field's name.
            name = (
                prefix
                if key in ("json", "query", "form", "headers", "files")
                else (f"{prefix}.{key}" if prefix else str(key))
            )
            found.extend(field_errors(value, name))
    elif isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            found.extend({"field": prefix or "body", "message": item} for item in messages)
        else:
            for item in messages:
                found.extend(field_errors(item, prefix))
    elif messages is not None:
        found.append({"field": prefix or "body", "message": str(messages)})
    return found


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
