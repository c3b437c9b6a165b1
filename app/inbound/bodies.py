"""What a person wrote in an email: the text part (or the HTML turned into text), with quoted
text and signatures taken off by mail-parser-reply; attachments named, never opened."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from mailparser_reply import EmailReplyParser

# The languages whose "On ... wrote:" lines and signatures the parser knows.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "ja", "zh", "ko", "sv", "da", "pl", "cs"]
# A reply that says only this completes the task (for people who chose it).
DONE_WORDS = frozenset(
    {"done", "erledigt", "fait", "terminé", "termine", "hecho", "listo", "完了", "済み", "完成"}
)
# The word instructions suggest to each reader, in their language: one DONE_WORDS recognises.
DONE_WORD_BY_LANGUAGE = {
    "en": "done",
    "de": "erledigt",
    "fr": "terminé",
    "es": "hecho",
    "ja": "完了",
}
assert set(DONE_WORD_BY_LANGUAGE.values()) <= DONE_WORDS
_FORWARD_PREFIX = re.compile(r"^\s*((fwd?|fw|wg|tr|rv|enc|i)\s*:\s*)+", re.IGNORECASE)
NO_SUBJECT = _l("(no subject)")
# HTML made text: a quote (Apple Mail's and Thunderbird's <blockquote type=cite>, Gmail's
# blockquote) set off by blank lines, as in a text part, so the reply parser sees where the
# "On ... wrote:" line starts and never takes the reply's own last line into it.
_QUOTE = HtmlElement(display=Display.block, margin_before=1, margin_after=1, padding_inline=2)
_HTML_AS_TEXT = ParserConfig(css={**CSS_PROFILES["strict"], "blockquote": _QUOTE})


@dataclass(frozen=True)
class Attachment:
    filename: str
    size: int

    @property
    def shown(self) -> str:
        return f"{self.filename} ({human_size(self.size)})"


def human_size(size: int) -> str:
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _content(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset, a broken encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def written_text(message: EmailMessage) -> str:
    """The message's body as text: its text/plain part, else its HTML made text."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError):
        body = None
    if body is None:
        return ""
    assert isinstance(body, EmailMessage)
    content = _content(body)
    if body.get_content_subtype() == "html":
        content = get_text(content, _HTML_AS_TEXT) if content.strip() else ""
    return content.replace("\r\n", "\n")


def strip_quotes(text: str) -> str:
    """The reply without the quoted email and the signature (any language the parser knows).
    Top posting: the parser's first reply. Bottom posting (the quote first, the answer under
    it): the parser puts both in the quote's reply; its ">" lines are the quote."""
    if not text.strip():
        return ""
    try:
        replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=text).replies
    except Exception:  # noqa: BLE001  (a third-party parser must not lose the message)
        return text.strip()
    if not replies:
        return ""
    first = replies[0]
    body = first.body or ""
    if first.headers:
        body = "\n".join(line for line in body.split("\n") if not line.lstrip().startswith(">"))
    return "\n".join(line.rstrip() for line in body.strip().split("\n")).strip()


def reply_text(message: EmailMessage) -> str:
    """What the person wrote above (or below) the quote: their reply, nothing else."""
    return strip_quotes(written_text(message))


def is_done(reply: str) -> bool:
    """True when the reply is only "done" or its translation, punctuation and case aside."""
    words = "".join(
        ch for ch in unicodedata.normalize("NFC", reply).lower() if not _is_punctuation(ch)
    )
    return words.strip() in DONE_WORDS


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def done_word(language: str | None = None) -> str:
    """The "done" word to tell a reader of `language` (the current language by default): an
    email written in German says to reply "erledigt"."""
    from app.core.i18n import current_language

    code = language or current_language()
    return DONE_WORD_BY_LANGUAGE.get(code.split("_")[0], DONE_WORD_BY_LANGUAGE["en"])


def attachments(message: EmailMessage) -> list[Attachment]:
    """Every attachment's name and size; the bytes are only measured."""
    found = []
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        name = part.get_filename() or f"unnamed {part.get_content_type()}"
        found.append(Attachment(" ".join(name.split())[:200], size))
    return found


def task_title(subject: str, body: str, max_length: int) -> str:
    """The subject without Fwd:/WG:/TR: prefixes; the body's first line when it is empty."""
    title = " ".join(_FORWARD_PREFIX.sub("", subject).split())
    if not title:
        first = next((line.strip() for line in body.split("\n") if line.strip()), "")
        title = " ".join(first.split()) or str(NO_SUBJECT)
    if len(title) > max_length:
        title = title[: max_length - 1].rstrip() + "…"
    return title


def attachments_note(found: list[Attachment]) -> str:
    """A line for the task's description, in the current language (the creator's)."""
    if not found:
        return ""
    return gettext(
        "Attachments (not stored): %(files)s", files=", ".join(item.shown for item in found)
    )
