"""Inbound addresses: plus-addresses of INBOUND_ADDRESS whose token says who and what a message
is about, signed so nobody can make one up.

    tickler+r-<user>-<task>-<day>-<mac>@example.com   a reply to a task email (person, task)
    tickler+p-<token>@example.com                      a project's mail-in address
    tickler+b-<delivery>-<mac>@example.com             the bounce address (VERP) of one email

Numbers are base 36 and the MAC is base 32, all lower case: mail systems may change the case
of a local part, and a local part stays within RFC 5321's 64 characters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.utils import getaddresses
from typing import Any

REPLY, PROJECT, BOUNCE = "r", "p", "b"
# 16 base-32 characters: 80 bits of HMAC-SHA256, far past guessing by sending mail.
MAC_LENGTH = 16
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class InboundAddress:
    """A parsed address of ours. `signed` is False when the MAC does not match (tampered)."""

    kind: str
    address: str
    signed: bool
    user_id: int | None = None
    task_id: int | None = None
    issued: date | None = None
    delivery_id: int | None = None
    project_token: str | None = None


def inbound_enabled(config: Mapping[str, Any]) -> bool:
    return bool(config.get("INBOUND_ADDRESS"))


def reply_address(config: Mapping[str, Any], user_id: int, task_id: int, issued: date) -> str:
    """The Reply-To of an email to `user_id` about `task_id`, sent on `issued`."""
    payload = "-".join(_base36(n) for n in (user_id, task_id, (issued - _EPOCH).days))
    return _address(config, f"{REPLY}-{payload}-{_mac(config, REPLY, payload)}")


def bounce_address(config: Mapping[str, Any], delivery_id: int) -> str:
    """The envelope sender (Return-Path) of the email of ledger row `delivery_id`."""
    payload = _base36(delivery_id)
    return _address(config, f"{BOUNCE}-{payload}-{_mac(config, BOUNCE, payload)}")


def project_address(config: Mapping[str, Any], token: str) -> str:
    """A project's mail-in address; `token` is the project's stored random token."""
    return _address(config, f"{PROJECT}-{token}")


def parse_address(config: Mapping[str, Any], address: str) -> InboundAddress | None:
    """The meaning of `address` if it is a plus-address of INBOUND_ADDRESS, else None."""
    mailbox, domain = _split(config["INBOUND_ADDRESS"])
    local, _, at_domain = address.strip().lower().rpartition("@")
    prefix = mailbox + config.get("INBOUND_ADDRESS_SEPARATOR", "+")
    if at_domain != domain or not local.startswith(prefix):
        return None
    kind, _, rest = local[len(prefix) :].partition("-")
    canonical = f"{mailbox}{config.get('INBOUND_ADDRESS_SEPARATOR', '+')}{kind}-{rest}@{domain}"
    if kind == PROJECT and rest:
        return InboundAddress(PROJECT, canonical, signed=True, project_token=rest)
    payload, _, mac = rest.rpartition("-")
    numbers = _numbers(payload)
    if numbers is None:
        return None
    signed = hmac.compare_digest(mac, _mac(config, kind, payload))
    if kind == REPLY and len(numbers) == 3:
        user_id, task_id, day = numbers
        issued = date.fromordinal(_EPOCH.toordinal() + day) if day < 200_000 else None
        return InboundAddress(
            REPLY, canonical, signed and issued is not None, user_id, task_id, issued
        )
    if kind == BOUNCE and len(numbers) == 1:
        return InboundAddress(BOUNCE, canonical, signed, delivery_id=numbers[0])
    return None


def addresses_of_ours(config: Mapping[str, Any], headers: list[str]) -> list[InboundAddress]:
    """Every address of ours among header values (Delivered-To, To, Cc ...), in their order."""
    found = []
    for _, address in getaddresses(headers):
        parsed = parse_address(config, address) if address else None
        if parsed is not None and parsed not in found:
            found.append(parsed)
    return found


def _address(config: Mapping[str, Any], token: str) -> str:
    mailbox, domain = _split(config["INBOUND_ADDRESS"])
    return f"{mailbox}{config.get('INBOUND_ADDRESS_SEPARATOR', '+')}{token}@{domain}"


def _split(address: str) -> tuple[str, str]:
    _, plain = getaddresses([address])[0]
    mailbox, _, domain = plain.lower().rpartition("@")
    if not mailbox or not domain:
        raise ValueError(
            f"INBOUND_ADDRESS {address!r} is not an address "  # i18n: internal
            "like tickler@example.com"
        )
    return mailbox, domain


def _mac(config: Mapping[str, Any], kind: str, payload: str) -> str:
    key = hashlib.sha256(b"tickler-inbound-address:" + config["SECRET_KEY"].encode()).digest()
    digest = hmac.new(key, f"{kind}-{payload}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:MAC_LENGTH]


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("ids and days are never negative")  # i18n: internal
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text


def _numbers(payload: str) -> list[int] | None:
    parts = payload.split("-")
    if not all(part.isalnum() and part.isascii() and len(part) <= 13 for part in parts):
        return None
    return [int(part, 36) for part in parts]
