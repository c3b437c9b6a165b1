"""English left on a Japanese page or email: any of the catalog's whole English sentences."""

from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po

from tests.i18n.unmarked import ROOT


@lru_cache(maxsize=1)
def english_sentences() -> tuple[str, ...]:
    """Whole English sentences and labels of the catalog (two words or more, no placeholder)
    whose Japanese differs: one of them on a Japanese page was left untranslated."""
    with (ROOT / "app/translations/ja/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    return tuple(
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and " " in message.id.strip()
        and "%" not in message.id
        and "<" not in message.id
        and message.string
        and message.string != message.id
    )


def english_leftovers(text: str) -> list[str]:
    return [sentence for sentence in english_sentences() if sentence in text]
