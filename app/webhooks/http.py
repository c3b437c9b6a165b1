"""One webhook POST to an address already checked: timeouts, no redirects, a capped response."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from app.webhooks.url_safety import Target

EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class HttpResult:
    status: int | None
    excerpt: str
    duration_ms: int
    error: str | None = None
    retry_after: int | None = None


def post_json(
    target: Target, body: bytes, headers: dict[str, str], timeout: float, max_bytes: int
) -> HttpResult:
    """POST `body` to the target's fixed address; network trouble comes back as `error`."""
    started = time.monotonic()
    try:
        connection = _connect(target, timeout)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            # Read one byte past the cap only to know the answer was longer; never more.
            content = response.read(max_bytes + 1)
            status, retry_after = response.status, _retry_after(response.getheader("Retry-After"))
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        return HttpResult(None, "", _elapsed(started), _describe(error))
    excerpt = content[:max_bytes].decode("utf-8", "replace")[:EXCERPT_CHARS]
    if len(content) > max_bytes:
        excerpt += " [response cut at the size limit]"
    return HttpResult(status, excerpt, _elapsed(started), None, retry_after)


def _connect(target: Target, timeout: float) -> http.client.HTTPConnection:
    # Connect to the address we checked, not to whatever the name resolves to a moment later;
    # the Host header and the TLS certificate check still use the name.
    sock = socket.create_connection((target.address, target.port), timeout=timeout)
    if target.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=target.host)
    kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = kind(target.host, target.port, timeout=timeout)
    connection.sock = sock
    return connection


def _retry_after(value: str | None) -> int | None:
    if value and value.strip().isdigit():
        return int(value.strip())
    return None


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    return f"{type(error).__name__}: {error}"[:300]


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
