"""The MIME bytes written directly read back, with the standard library's parser, as the same
email that EmailMessage would make."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest

from app.core.email import mime


def parse(raw: bytes):
    return message_from_bytes(raw, policy=default)


def build(subject: str = "Hi", text: str = "hello\n", html: str = "<p>hello</p>") -> bytes:
    headers = [
        ("From", mime.address("From", "Tickler", "tickler@example.com")),
        ("To", mime.address("To", "Ann Lée", "ann@example.com")),
        ("Subject", mime.unstructured("Subject", subject)),
        ("Message-ID", mime.checked("Message-ID", "<m1@example.com>")),
    ]
    return mime.multipart_alternative(headers, text, html)


def test_parts_come_back_as_written_text_first_then_html():
    html = "<p>" + "“quoted” é " * 300 + "</p>"  # one line far over 998 characters
    message = parse(build(text="Due: “Ship it”\nline two\n", html=html))
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    # The parser keeps the wire's CRLF in decoded quoted-printable text.
    plain = message.get_body(("plain",)).get_content()
    assert plain.replace("\r\n", "\n") == "Due: “Ship it”\nline two\n"
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html + "\n"
    assert message["Message-ID"] == "<m1@example.com>"


def test_non_ascii_subject_and_name_are_encoded_words_that_decode_back():
    raw = build(subject="3 tasks due “soon” – " + "x" * 80)
    assert raw.isascii(), "every byte is 7-bit: no server needs 8BITMIME"
    message = parse(raw)
    assert message["Subject"] == "3 tasks due “soon” – " + "x" * 80
    assert message["To"].addresses[0].display_name == "Ann Lée"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


@pytest.mark.parametrize("value", ["a\r\nBcc: x@evil.example", "a\nX: y", "a\rb"])
def test_a_line_break_in_any_header_value_is_refused(value):
    with pytest.raises(ValueError):
        mime.checked("List-Unsubscribe", value)
    with pytest.raises(ValueError):
        mime.unstructured("Subject", value)
    with pytest.raises(ValueError):
        mime.address("To", value, "ann@example.com")


def test_a_non_ascii_address_is_refused_rather_than_mangled():
    with pytest.raises(ValueError):
        mime.address("To", "Ann", "ann@exämple.com")


def test_the_boundary_never_occurs_inside_a_part():
    parts = [b"a", b"b"]
    assert mime.new_boundary(parts).encode() not in b"".join(parts)
