"""Counts with their nouns, plural-correct in every language: Flask-Babel's `ngettext`, with
`%(num)d` filled in from `num`, for pages, emails, flashes and the CLI alike."""

from __future__ import annotations

from flask_babel import ngettext

__all__ = ["ngettext", "plural"]


def plural(num: int, noun: str, nouns: str | None = None) -> str:
    """TEMPORARY while strings are being marked: builds its msgid at run time, so it cannot be
    translated. Replace every call with an explicit ngettext("%(num)d task", ...)."""
    return ngettext(f"%(num)d {noun}", f"%(num)d {nouns or noun + 's'}", num)
