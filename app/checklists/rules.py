"""Pure checklist rules: where an item goes when added or moved, and the text of an item."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from flask_babel import gettext

from app.checklists.models import ITEM_TEXT_MAX_LENGTH

STEP = 1.0
# Below this gap two floats can no longer hold a value between them reliably: renumber first.
MIN_GAP = 1e-6


class ItemTextError(ValueError):
    """Item text that cannot be stored; the message says why, for the person."""


def clean_text(raw: str) -> str:
    """One line of text, whitespace runs collapsed; ItemTextError when empty or too long."""
    text = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not text:
        raise ItemTextError(gettext("Write what the item is."))
    if len(text) > ITEM_TEXT_MAX_LENGTH:
        raise ItemTextError(
            gettext("Keep an item to %(max)d characters or fewer.", max=ITEM_TEXT_MAX_LENGTH)
        )
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ItemTextError(gettext("An item cannot hold control characters."))
    return text


def position_after(positions: Sequence[float]) -> float:
    """The position of a new item at the end."""
    return (max(positions) if positions else 0.0) + STEP


def between(before: float | None, after: float | None) -> float:
    """A position strictly between two neighbours (None: no neighbour on that side)."""
    if before is None and after is None:
        return STEP
    if before is None:
        assert after is not None
        return after - STEP
    if after is None:
        return before + STEP
    return (before + after) / 2


def moved_position(positions: Sequence[float], index: int, offset: int) -> float | None:
    """The new position of the item at `index` (positions sorted ascending) moved `offset`
    places (-1 up, +1 down); None when it is already at that end."""
    target = index + offset
    if offset == 0 or not 0 <= target < len(positions):
        return None
    others = [p for i, p in enumerate(positions) if i != index]
    # In the list without the item, it goes in at `target`: between others[target-1] and
    # others[target].
    before = others[target - 1] if target - 1 >= 0 else None
    after = others[target] if target < len(others) else None
    return between(before, after)


def needs_renumbering(positions: Sequence[float]) -> bool:
    """Whether some neighbours are too close for a value between them."""
    return any(b - a < MIN_GAP for a, b in zip(positions, positions[1:], strict=False))


def renumbered(count: int) -> list[float]:
    """Evenly spaced positions for `count` items, in their order."""
    return [STEP * (i + 1) for i in range(count)]
