"""Cursor pagination: an opaque cursor names the last row of a page; the next page starts
after it, so rows added meanwhile neither repeat nor vanish (no offsets)."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import gettext

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    """The values a cursor carries; a 422 for one this API did not make."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        abort(422, description=gettext("The cursor is not one this API gave out."))
    if not isinstance(values, list) or len(values) != length:
        abort(422, description=gettext("The cursor is not one this API gave out."))
    return values


def next_link(cursor: str | None) -> str | None:
    """RFC 8288 Link header value for the next page, keeping the request's other arguments."""
    if cursor is None:
        return None
    args = {key: value for key, value in request.args.items(multi=True) if key != "cursor"}
    query = urlencode([*args.items(), ("cursor", cursor)])
    return f'<{request.base_url}?{query}>; rel="next"'
