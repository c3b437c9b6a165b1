"""DKIM-sign outgoing messages (RFC 6376) with dkimpy, when a private key is configured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import dkim

# The headers a signature covers: those a reader sees or a mail system acts on. From is
# required; the rest stop a relay from changing what the email says, who it is for, or its
# unsubscribe link without breaking the signature.
SIGNED_HEADERS = (
    b"From",
    b"Reply-To",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"In-Reply-To",
    b"References",
    b"List-Id",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
    b"Auto-Submitted",
    b"MIME-Version",
    b"Content-Type",
)


@dataclass(frozen=True)
class DkimSigner:
    """Signs as `selector`._domainkey.`domain` with one private key (PEM)."""

    selector: str
    domain: str
    private_key: bytes

    def sign(self, message: bytes) -> bytes:
        """`message` with its DKIM-Signature header first (relaxed/relaxed, rsa-sha256)."""
        signature = dkim.sign(
            message,
            self.selector.encode("ascii"),
            self.domain.encode("ascii"),
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=list(SIGNED_HEADERS),
        )
        return signature + message


def dkim_domain(config: Mapping[str, Any]) -> str:
    """DKIM_DOMAIN, else the domain of MAIL_DEFAULT_SENDER (the From domain DMARC aligns to)."""
    if config.get("DKIM_DOMAIN"):
        return str(config["DKIM_DOMAIN"])
    return parseaddr(config.get("MAIL_DEFAULT_SENDER", ""))[1].rsplit("@", 1)[-1]


def signer_from_config(config: Mapping[str, Any]) -> DkimSigner | None:
    """A signer when DKIM_PRIVATE_KEY_PATH is set; None (messages go unsigned) when not.
    Start-up has checked the file (config.dkim_problems); it is read once per batch so a
    rotated key is picked up without a restart."""
    path = config.get("DKIM_PRIVATE_KEY_PATH")
    if not path:
        return None
    return DkimSigner(
        selector=config["DKIM_SELECTOR"],
        domain=dkim_domain(config),
        private_key=Path(path).read_bytes(),
    )
