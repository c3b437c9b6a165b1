"""Replies as Gmail, Outlook and Apple Mail write them (top and bottom posting, HTML-only),
built with the stdlib and with the `emails` library: only what the person wrote is kept."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import emails
import pytest

from app.inbound.bodies import is_done, reply_text
from app.inbound.service import parse_message

GMAIL_TEXT = """Sounds good, I'll take it.

Ann

On Mon, Dec 7, 2026 at 8:00 AM Tickler <tickler@example.com> wrote:

> Bob commented on Paint the shed
> Can someone buy paint?
"""
GMAIL_HTML = """<div dir="ltr">Sounds good, I'll take it.<div><br></div><div>Ann</div></div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Dec 7, 2026 at 8:00 AM
Tickler &lt;tickler@example.com&gt; wrote:<br></div><blockquote class="gmail_quote">
Bob commented on Paint the shed<br>Can someone buy paint?</blockquote></div>"""
OUTLOOK_HTML = """<html><body><div>Sounds good, I'll take it.</div><div><br></div>
<div id="divRplyFwdMsg"><hr><b>From:</b> Tickler &lt;tickler@example.com&gt;<br>
<b>Sent:</b> Monday, December 7, 2026 8:00 AM<br><b>To:</b> Ann Lee &lt;ann@example.com&gt;<br>
<b>Subject:</b> Paint the shed</div><div>Bob commented on Paint the shed</div></body></html>"""
APPLE_HTML = """<html><body><div>Sounds good, I'll take it.</div><div><br>
<blockquote type="cite">
<div>On 7 Dec 2026, at 08:00, Tickler &lt;tickler@example.com&gt; wrote:</div>
<div>Bob commented on Paint the shed</div></blockquote></div></body></html>"""
APPLE_TEXT = """Sounds good, I'll take it.

> On 7 Dec 2026, at 08:00, Tickler <tickler@example.com> wrote:
>
> Bob commented on Paint the shed
"""
BOTTOM_TEXT = """On Mon, 7 Dec 2026 at 08:00, Tickler <tickler@example.com> wrote:
> Bob commented on Paint the shed
> Can someone buy paint?

Sounds good, I'll take it.

--
Ann Lee
"""
WANTED = "Sounds good, I'll take it."


def stdlib(text: str | None, html: str | None) -> bytes:
    message = EmailMessage()
    message["From"] = "ann@example.com"
    message["To"] = "tickler+r-x@example.com"
    message["Subject"] = "Re: Paint the shed"
    message["Message-ID"] = make_msgid()
    if text is not None:
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html or "", subtype="html")
    return message.as_bytes()


def with_emails_library(text: str | None, html: str | None) -> bytes:
    message = emails.html(
        html=html, text=text, subject="Re: Paint the shed", mail_from=("Ann", "ann@example.com")
    )
    message.set_mail_to("tickler+r-x@example.com")
    return message.as_string().encode()


SHAPES = {
    "gmail": (GMAIL_TEXT, GMAIL_HTML),
    "outlook-html-only": (None, OUTLOOK_HTML),
    "apple-html-only": (None, APPLE_HTML),
    "apple": (APPLE_TEXT, APPLE_HTML),
    "bottom-posting": (BOTTOM_TEXT, None),
}
# The emails library writes HTML-only mail its own way (the test after this one covers it).
CASES = [
    pytest.param(build, *shape, id=f"{build.__name__}-{name}")
    for build in (stdlib, with_emails_library)
    for name, shape in SHAPES.items()
    if not (build is with_emails_library and shape[0] is None)
]


@pytest.mark.parametrize(("build", "text", "html"), CASES)
def test_only_what_the_person_wrote_is_kept(build, text, html) -> None:
    assert reply_text(parse_message(build(text, html))).startswith(WANTED)
    assert "Bob commented" not in reply_text(parse_message(build(text, html)))


@pytest.mark.parametrize("html", [OUTLOOK_HTML, APPLE_HTML])
def test_html_only_replies_from_the_emails_library_are_read_as_text(html) -> None:
    message = emails.html(html=html, subject="Re: x", mail_from=("Ann", "ann@example.com"))
    message.set_mail_to("tickler+r-x@example.com")
    kept = reply_text(parse_message(message.as_string().encode()))
    assert kept.startswith(WANTED) and "Bob commented" not in kept


@pytest.mark.parametrize(
    "word", ["done", "Done!", " DONE. ", "erledigt", "Fait", "terminé", "Listo", "完了", "完了。"]
)
def test_done_in_each_language(word: str) -> None:
    assert is_done(word)


@pytest.mark.parametrize("words", ["done?maybe", "not done", "done, but", ""])
def test_more_than_done_is_a_comment(words: str) -> None:
    assert not is_done(words)
