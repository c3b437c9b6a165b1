"""Search's pure rules: a typed query read as plain words, and the snippet that shows where
they matched, split into marked and unmarked parts (the template escapes every part)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext

# Bounds on the work one search asks of the database.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SNIPPET_CHARS = 180
# Letters and digits only: quotes, operators (& | ! : * - ( ) "...") and underscores separate
# words, so no typed character ever reaches the database as syntax.
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    """What a person typed, as search reads it: the words (lowercased, each once, in order)
    and what to tell them about it (None when all is well)."""

    text: str
    terms: tuple[str, ...]
    notice: str | None = None

    @property
    def is_searchable(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str | None) -> SearchQuery:
    """The words of a query. Too long: nothing is searched and the person is told why; more
    than MAX_TERMS words: the first ones are searched, and the person is told."""
    text = (raw or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return SearchQuery(
            text[:MAX_QUERY_LENGTH],
            (),
            gettext(
                "That search is %(length)d characters long; search for at most %(max)d "
                "characters, a few words that are in the task.",
                length=len(text),
                max=MAX_QUERY_LENGTH,
            ),
        )
    words = tuple(dict.fromkeys(word.lower() for word in WORD.findall(text)))
    if text and not words:
        return SearchQuery(
            text, (), gettext("Type a word or two of letters or digits to search for.")
        )
    if len(words) > MAX_TERMS:
        return SearchQuery(
            text,
            words[:MAX_TERMS],
            gettext(
                "Searched for the first %(num)d words only: %(words)s.",
                num=MAX_TERMS,
                words=" ".join(words[:MAX_TERMS]),
            ),
        )
    return SearchQuery(text, words)


def postgres_tsquery(terms: tuple[str, ...]) -> str:
    """The to_tsquery text: every word as a prefix, all of them required ("plan:* & tul:*").
    Each term is letters and digits only (WORD), so it cannot carry tsquery syntax."""
    return " & ".join(f"{term}:*" for term in terms)


def sqlite_match(terms: tuple[str, ...]) -> str:
    """The FTS5 MATCH text with the same meaning: each word a quoted prefix, all required."""
    return " ".join(f'"{term}"*' for term in terms)


def hit_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A whole word that starts with one of the terms, as the databases match prefixes."""
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def matches(text: str, terms: tuple[str, ...]) -> bool:
    """Whether every term starts some word of the text."""
    words = [word.lower() for word in WORD.findall(text)]
    return all(any(word.startswith(term) for word in words) for term in terms)


def has_hit(text: str, terms: tuple[str, ...]) -> bool:
    return bool(terms) and hit_pattern(terms).search(text) is not None


@dataclass(frozen=True)
class Part:
    text: str
    hit: bool


def highlighted(text: str, terms: tuple[str, ...]) -> tuple[Part, ...]:
    """The text in parts, the words that match marked; plain strings, escaped by the template."""
    if not terms:
        return (Part(text, False),) if text else ()
    parts: list[Part] = []
    position = 0
    for found in hit_pattern(terms).finditer(text):
        if found.start() > position:
            parts.append(Part(text[position : found.start()], False))
        parts.append(Part(found.group(0), True))
        position = found.end()
    if position < len(text):
        parts.append(Part(text[position:], False))
    return tuple(parts)


def excerpt(text: str, terms: tuple[str, ...], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of the text around its first match, cut at spaces, with an
    ellipsis where text was left out; whitespace runs (newlines too) made single spaces."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    found = hit_pattern(terms).search(flat) if terms else None
    start = max(0, (found.start() if found else 0) - width // 3)
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return ("…" if start > 0 else "") + flat[start:end] + ("…" if end < len(flat) else "")


def snippet(text: str, terms: tuple[str, ...], width: int = SNIPPET_CHARS) -> tuple[Part, ...]:
    """The highlighted excerpt of `text` around where the terms matched."""
    return highlighted(excerpt(text, terms, width), terms)
