"""Turn a template pair into a subject, HTML with its CSS inlined, and a plain-text part."""

from __future__ import annotations

import re
import textwrap
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
    if len(line) <= width:
        return line
    lead = _LEAD.match(line)
    indent, marker = (lead.group(1), lead.group(2) or "") if lead else ("", "")
    return textwrap.fill(
        line[len(indent) + len(marker) :],
        width=width,
        initial_indent=indent + marker,
        subsequent_indent=indent + " " * len(marker),
        break_long_words=False,
        break_on_hyphens=False,
    )


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
