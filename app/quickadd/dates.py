"""Finding a due date in a line of text with dateparser, relative to a given "now" on the
person's clock and in their languages: no hand-written date grammar, and no hidden today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from dateparser.data.languages_info import language_order
from dateparser.date import DateDataParser
from dateparser.search import search_dates

# A date written without a time ("friday", "Dec 24", "in 2 days") is due at the end of that
# working day, not at midnight (which would make it overdue all day long).
DATE_ONLY_TIME = time(17, 0)
# Periods dateparser gives a phrase without a time of day.
_DATE_ONLY_PERIODS = {"day", "week", "month", "year"}
# A month or a year alone ("the may release", "Plan 2027 budget") names no day: left as words.
_NO_DAY_PERIODS = {"month", "year"}
SUPPORTED_LANGUAGES = frozenset(language_order)
MAX_LANGUAGES = 3


@dataclass(frozen=True)
class FoundDate:
    words: str  # as written in the line, to remove from the title and show in the preview
    local: datetime  # naive, on the person's clock
    has_time: bool


def date_languages(preferred: list[str]) -> tuple[str, ...]:
    """dateparser's languages for a person's preferred ones (e.g. the browser's "de-CH, fr"):
    the known ones in order, English always last as the fallback."""
    chosen = []
    for tag in preferred:
        code = tag.split("-")[0].split("_")[0].lower()
        if code in SUPPORTED_LANGUAGES and code not in chosen and code != "en":
            chosen.append(code)
    return (*chosen[: MAX_LANGUAGES - 1], "en")


def person_date_languages(language: str | None, browser: list[str]) -> tuple[str, ...]:
    """The languages a person's dates are read in: the language they read Tickler in first,
    English next (the fallback), then their browser's others, at most MAX_LANGUAGES."""
    own = date_languages([language] if language else [])
    others = [code for code in date_languages(browser) if code not in own]
    return (*own, *others)[:MAX_LANGUAGES]


def _settings(now_local: datetime) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": now_local,
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RETURN_TIME_AS_PERIOD": True,
    }


def _read(
    words: str, now_local: datetime, languages: tuple[str, ...]
) -> tuple[datetime, str] | None:
    data = DateDataParser(languages=list(languages), settings=_settings(now_local)).get_date_data(
        words
    )
    if data.date_obj is None:
        return None
    return data.date_obj.replace(tzinfo=None), data.period or "day"


def _trimmed(words: str, value: datetime, now_local: datetime, languages: tuple[str, ...]) -> str:
    """Drop bare numbers at either end of a match while the rest means the same moment:
    "Read chapter 3 today" means today, and chapter 3 stays in the title."""
    parts = words.split()
    while len(parts) > 1:
        for candidate in (parts[1:], parts[:-1]):
            dropped = parts[0] if candidate == parts[1:] else parts[-1]
            if not any(char.isalpha() for char in dropped):
                read = _read(" ".join(candidate), now_local, languages)
                if read is not None and read[0] == value:
                    parts = candidate
                    break
        else:
            break
    return " ".join(parts)


def find_dates(text: str, now_local: datetime, languages: tuple[str, ...]) -> list[FoundDate]:
    """The due dates written in `text`, each with its words; `now_local` is the person's
    wall-clock now (naive), which every relative phrase ("tomorrow", "in 2 days") counts from."""
    matches = search_dates(text, languages=list(languages), settings=_settings(now_local)) or []
    found = []
    for words, _ in matches:
        read = _read(words, now_local, languages)
        if read is None:
            continue
        value, period = read
        if period in _NO_DAY_PERIODS and value.time() == time(0):
            continue
        words = _trimmed(words, value, now_local, languages)
        if period in _DATE_ONLY_PERIODS:
            value = datetime.combine(value.date(), DATE_ONLY_TIME)
        found.append(FoundDate(words, value, period not in _DATE_ONLY_PERIODS))
    return found
