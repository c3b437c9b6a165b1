"""Counts with their nouns, plural-correct: one helper for pages, emails, flashes and the CLI.

`ngettext` has the signature and behaviour of gettext's and Flask-Babel's (`%(num)d` filled in
from `num`), so adding Flask-Babel later swaps the implementation, not the call sites.
"""

from __future__ import annotations

from typing import Any


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """`singular` when `num` is 1, else `plural`, with `%(num)d` and `variables` filled in."""
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


def plural(num: int, noun: str, nouns: str | None = None) -> str:
    """'1 recipient', '0 recipients', '3 people' (irregular plurals given as `nouns`)."""
    return ngettext(f"%(num)d {noun}", f"%(num)d {nouns or noun + 's'}", num)
