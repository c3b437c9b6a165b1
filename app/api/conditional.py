"""ETag and If-Match: two clients cannot overwrite each other's change silently (412)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import abort, request


def etag_of(representation: dict[str, Any]) -> str:
    """A strong ETag of what the API shows of an object: any change to it changes the tag."""
    raw = json.dumps(representation, sort_keys=True, default=str, separators=(",", ":"))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def check_if_match(current: str) -> None:
    """412 when the request's If-Match names none of the current tag (or `*`); no If-Match
    means the client accepts whatever is there now. Call it before changing anything."""
    matches = request.if_match
    if matches and not (matches.star_tag or current.strip('"') in matches):
        abort(412)
