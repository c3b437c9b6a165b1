"""MIME bytes for one email, written directly: the multipart/alternative that the standard
library's EmailMessage makes, at a fraction of its cost (its header and content machinery
took most of a digest email's time; see docs/PERFORMANCE.md)."""

from __future__ import annotations

import binascii
import secrets
from collections.abc import Iterable
from email.header import Header
from email.utils import formataddr

CRLF = b"\r\n"
# RFC 5322: a line may not exceed 998 characters; 78 is the recommended fold width.
MAX_LINE = 998
FOLD_AT = 78


def checked(name: str, value: str) -> str:
    """A header value as given; a line break in it could add a header, so it is refused."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"header {name!r} contains a line break: {value!r}")  # i18n: internal
    return value


def unstructured(name: str, value: str) -> str:
    """Free text (Subject): as it is when short ASCII, else RFC 2047 words, folded."""
    checked(name, value)
    if value.isascii() and len(name) + 2 + len(value) <= FOLD_AT:
        return value
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def address(name: str, display: str, addr: str) -> str:
    """'Name <addr>' with a non-ASCII name as RFC 2047 words; an address must be ASCII."""
    checked(name, display + addr)
    addr.encode("ascii")  # UnicodeEncodeError (a ValueError): we do not speak SMTPUTF8
    return formataddr((display, addr), charset="utf-8")


def body_part(content: str, subtype: str) -> bytes:
    """One text part: 7bit when plain short-lined ASCII, else quoted-printable, CRLF lines."""
    # Content ends in a line break, as EmailMessage.set_content makes it; the CRLF before the
    # next boundary belongs to the boundary.
    data = content.replace("\r\n", "\n").encode("utf-8")
    if not data.endswith(b"\n"):
        data += b"\n"
    if data.isascii() and max(map(len, data.split(b"\n")), default=0) <= MAX_LINE:
        encoding, body = b"7bit", data
    else:
        encoding, body = b"quoted-printable", binascii.b2a_qp(data, istext=True)
    if not body.endswith(b"\n"):
        body += b"\n"  # quoted-printable keeps the final line break; this is belt and braces
    return (
        b"Content-Type: text/" + subtype.encode() + b'; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body.replace(b"\n", CRLF)
    )


def header_lines(headers: Iterable[tuple[str, str]]) -> bytes:
    lines = []
    for name, value in headers:
        line = f"{name}: {value}"
        if max(map(len, line.split("\r\n"))) > MAX_LINE:
            message = f"header {name!r} is longer than {MAX_LINE} characters"  # i18n: internal
            raise ValueError(message)
        lines.append(line.encode("ascii") + CRLF)
    return b"".join(lines)


def multipart_alternative(headers: list[tuple[str, str]], text: str, html: str) -> bytes:
    """The message: `headers` (already checked and encoded), then the text part first and the
    HTML part last, which mail clients prefer."""
    parts = [body_part(text, "plain"), body_part(html, "html")]
    boundary = new_boundary(parts)
    head = header_lines(
        [
            *headers,
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ]
    )
    delimiter = b"--" + boundary.encode() + CRLF
    return (
        head
        + CRLF
        + b"".join(delimiter + part + CRLF for part in parts)
        + b"--"
        + boundary.encode()
        + b"--"
        + CRLF
    )


def new_boundary(parts: list[bytes]) -> str:
    """A boundary that occurs in no part (random, so a clash is all but impossible)."""
    while True:
        boundary = f"===============tickler{secrets.token_hex(12)}=="
        if not any(boundary.encode() in part for part in parts):
            return boundary
