"""Turn a template pair into a subject, HTML with its CSS inlined, and a plain-text part."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import css_inline
from flask import current_app, render_template
from werkzeug.routing import Map, MapAdapter

from app.core.i18n import current_language

# Inlining keeps the layout in Gmail and Outlook, which drop <style> blocks.
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    # The language it is written in (its reader's): the From line's words follow it.
    language: str = "en"


def render_email(kind: str, subject: str, preheader: str = "", **context: Any) -> RenderedEmail:
    """Render `email/<kind>.html` and `email/<kind>.txt` with the same context; `preheader`
    is the hidden line inbox lists show after the subject (the layout places it)."""
    context = {"subject": subject, "base_url": base_url(), "preheader": preheader, **context}
    html = render_template(f"email/{kind}.html", **context)
    text = render_template(f"email/{kind}.txt", **context)
    return RenderedEmail(
        subject=subject,
        html=_INLINER.inline(html),
        text=wrap_text(text.strip()) + "\n",
        language=current_language(),
    )


# A line's indent, and a list marker after it ("- ", "* ", "1. "): wrapped lines align under
# the item's text, not under the marker.
_LEAD = re.compile(r"^(\s*)((?:[-*•]|\d+[.)])\s+)?")
TEXT_WIDTH = 78


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Plain text wrapped for reading at `width` columns (RFC 5322's 78). A word longer than
    the line, such as a link, stays whole on a line of its own: a broken link cannot be
    followed."""
    return "\n".join(_wrap_line(line, width) for line in text.split("\n"))


def _wrap_line(line: str, width: int) -> str:
    if len(line) <= width and not _WIDE.search(line):
        return line
    lead = _LEAD.match(line)
    indent, marker = (lead.group(1), lead.group(2) or "") if lead else ("", "")
    if _WIDE.search(line):
        if display_width(line) <= width:
            return line
        return _wrap_wide(line[len(indent) + len(marker) :], width, indent, marker)
    return textwrap.fill(
        line[len(indent) + len(marker) :],
        width=width,
        initial_indent=indent + marker,
        subsequent_indent=indent + " " * len(marker),
        break_long_words=False,
        break_on_hyphens=False,
    )


# Japanese and Chinese have no spaces to wrap at: a line may break between any two of their
# characters, except before closing punctuation (kinsoku), and each takes two columns.
_WIDE_RANGES = (
    "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_WIDE = re.compile(f"[{_WIDE_RANGES}]")
_NO_LINE_START = frozenset("、。，．・：；？！ー）」』】〕〉》”’)]},.:;!?%")
# A run of spaces, a run of narrow characters (a word, a link), or one wide character.
_TOKEN = re.compile(f" +|[^\\s{_WIDE_RANGES}]+|.")


def display_width(text: str) -> int:
    """Columns `text` takes in a fixed-width font: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrap_wide(text: str, width: int, indent: str, marker: str) -> str:
    """Wrap a line with wide characters: break between them, at spaces, never inside a run of
    narrow ones (a link or a word stays whole), never before closing punctuation."""
    lines: list[str] = []
    current, used = indent + marker, display_width(indent + marker)
    start, continuation = len(current), indent + " " * len(marker)
    for token in _TOKEN.findall(text):
        size = display_width(token)
        if used + size <= width or len(current) == start:
            current, used = current + token, used + size
            continue
        if token[0] in _NO_LINE_START and len(current) > start + 1 and _WIDE.match(current[-1]):
            # The mark may not start a line: the character before it goes down with it.
            current, token = current[:-1], current[-1] + token
        lines.append(current.rstrip())
        token = token.lstrip(" ")
        current, used = continuation + token, len(continuation) + display_width(token)
        start = len(continuation)
    lines.append(current.rstrip())
    return "\n".join(lines)


def base_url() -> str:
    return current_app.config["APP_BASE_URL"].rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full link for an email, built from APP_BASE_URL, never from a request's Host header."""
    return _url_adapter(current_app.url_map, base_url()).build(
        endpoint, values, force_external=True
    )


@lru_cache(maxsize=8)
def _url_adapter(url_map: Map, base: str) -> MapAdapter:
    # Binding the map costs more than building a link; an email builds dozens of links.
    parts = urlsplit(base)
    return url_map.bind(
        parts.netloc, url_scheme=parts.scheme or "https", script_name=parts.path or "/"
    )
