"""Webhook signatures (pure), two of them on every delivery, as docs/WEBHOOKS.md shows:

- X-Tickler-Signature: HMAC-SHA256 over "<timestamp>.<body>" keyed with the secret's text
  (kept unchanged for the receivers written before Standard Webhooks);
- Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), made by the
  standardwebhooks library, so any Standard Webhooks verifier accepts them.

The same "whsec_" secret serves both. Standard Webhooks keys are the base64 decoding of what
follows "whsec_"; ours is 48 hex characters, which are also valid base64 (hex digits are in the
base64 alphabet and 48 is a multiple of 4), so the key is those 48 characters base64-decoded
(36 bytes): every Standard Webhooks library derives it the same way from the secret as shown,
and no second secret is needed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook

SIGNATURE_HEADER = "X-Tickler-Signature"
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
# A receiver should refuse signatures older than this, so a captured request cannot be replayed.
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def standard_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers: the id stays the same on every retry of a delivery, so a
    receiver can drop duplicates; the signature covers "<id>.<timestamp>.<body>"."""
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    return {
        STANDARD_ID_HEADER: message_id,
        STANDARD_TIMESTAMP_HEADER: str(timestamp),
        STANDARD_SIGNATURE_HEADER: standard_webhook(secret).sign(message_id, when, body),
    }


def standard_webhook(secret: str) -> Webhook:
    """The library's signer for our secret. Every secret new_secret makes decodes; one that
    does not (only a hand-edited row could be so) is keyed with its UTF-8 bytes instead of
    failing the delivery: deterministic, and still a valid HMAC over the same message."""
    try:
        return Webhook(secret)
    except (ValueError, EmptyWebhookSecretError):
        return Webhook(secret.encode())


def delivery_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Both signatures of one attempt, made with the same timestamp."""
    return {
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
        **standard_headers(secret, message_id, timestamp, body),
    }


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    """What a receiver does: parse t and v1, recompute, compare in constant time, check age."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))
