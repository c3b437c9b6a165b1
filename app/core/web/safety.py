"""Guards used by several blueprints."""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit


def is_local_redirect(target: str | None) -> TypeGuard[str]:
    """True only for a path on this site: no scheme, no host, no tricks with slashes."""
    if not target or not target.startswith("/"):
        return False
    # Browsers treat backslashes as slashes and ignore tabs and newlines in URLs.
    cleaned = target.replace("\\", "/")
    if any(char in cleaned for char in "\t\r\n"):
        return False
    if cleaned.startswith("//"):
        return False
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc
