"""ETags for the API's objects: a hash of the representation, checked by If-Match (412 when
stale: two clients cannot overwrite each other silently) and If-None-Match (304)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import abort, request


def etag_of(dumped: Any) -> str:
    """A strong ETag (quoted) of a dumped representation: equal JSON, equal tag."""
    raw = json.dumps(dumped, sort_keys=True, separators=(",", ":"), default=str).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _bare(etag: str) -> str:
    return etag.strip('"')


def check_if_match(current: str) -> None:
    """Before a change: a 412 when the request's If-Match names none of the current tag."""
    if "If-Match" not in request.headers:
        return
    wanted = request.if_match
    if not (wanted.star_tag or wanted.contains(_bare(current))):
        abort(412)


def is_fresh(current: str) -> bool:
    """A GET whose If-None-Match still names the current tag (answer 304)."""
    return "If-None-Match" in request.headers and request.if_none_match.contains_weak(
        _bare(current)
    )
