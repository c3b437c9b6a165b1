"""A real HTTP receiver on 127.0.0.1 for webhook tests: verifies signatures, counts deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verify_signature(secret: str, header: str, body: bytes) -> bool:
    """The recipe in docs/WEBHOOKS.md, written out independently of the sender's code."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - timestamp) <= 300
    return fresh and hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))


@dataclass
class Received:
    delivery: str
    event: str
    body: dict[str, Any]
    signature_ok: bool
    host: str
    answered: int
    # The bytes and headers as they arrived, for verifiers that need them (Standard Webhooks).
    raw: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Receiver:
    """Answers each POST with the next scripted (status, body, delay) or 200 once they run out."""

    secret: str = ""
    script: list[tuple[int, bytes, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tickler"

    def accepted(self) -> Counter:
        """Deliveries answered 2xx, by X-Tickler-Delivery: each should be exactly 1."""
        return Counter(r.delivery for r in self.received if 200 <= r.answered < 300)

    def wait_for(self, accepted: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while sum(self.accepted().values()) < accepted and time.monotonic() < deadline:
            time.sleep(0.05)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status, answer, delay = (
                        receiver.script.pop(0) if receiver.script else (200, b"ok", 0.0)
                    )
                time.sleep(delay)
                ok = verify_signature(
                    receiver.secret, self.headers.get("X-Tickler-Signature", ""), body
                )
                receiver.received.append(
                    Received(
                        self.headers.get("X-Tickler-Delivery", ""),
                        self.headers.get("X-Tickler-Event", ""),
                        json.loads(body),
                        ok,
                        self.headers.get("Host", ""),
                        status,
                        body,
                        dict(self.headers.items()),
                    )
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender gave up waiting; that is the point of a slow answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
