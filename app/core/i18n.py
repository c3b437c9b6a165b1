"""Which language a person reads Tickler in, and dates and numbers written the way it writes
them (Flask-Babel's catalogs, Babel's CLDR data)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_datetime, format_skeleton
from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel, force_locale, get_locale

DEFAULT_LANGUAGE = "en"
# Each language named in itself: a person who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "ja": "日本語",
}
# Tickler's English has always written "Mon 07 Dec 2026, 08:00" (day first, 24-hour clock), which
# no single CLDR English reads as; every other language takes its own CLDR formats.
_ENGLISH_DATE_TIME = "EEE dd MMM y, HH:mm"
_ENGLISH_DATE = "EEE dd MMM y"


def languages() -> tuple[str, ...]:
    """The language codes people may choose: config LANGUAGES, each with a complete catalog
    (outside an app, where nothing is translated anyway, the ones Tickler ships)."""
    if not has_app_context():
        return tuple(LANGUAGE_NAMES)
    return tuple(current_app.config["LANGUAGES"])


def is_language(code: str | None) -> bool:
    return bool(code) and code in languages()


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) for the profile's picker."""
    return [(code, language_name(code)) for code in languages()]


@lru_cache(maxsize=32)
def language_name(code: str) -> str:
    name = LANGUAGE_NAMES.get(code) or Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_from_browser() -> str:
    """The best of our languages for the request's Accept-Language ('de-AT' reads German)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    best = request.accept_languages.best_match(languages())
    return best or DEFAULT_LANGUAGE


def select_locale() -> str:
    """Flask-Babel's choice for this request: the signed-in person's language, else the
    browser's. An API call reads its token owner's, unless it sends Accept-Language."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if request.path.startswith("/api/v1/"):
        # The API never reads the session cookie: its caller is the token's owner, if any.
        api_user = g.get("api_user")
        if api_user is None or request.headers.get("Accept-Language"):
            return language_from_browser()
        return _known_or_default(api_user.language)
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return _known_or_default(current_user.language)
    return language_from_browser()


def _known_or_default(code: str | None) -> str:
    return code if code and is_language(code) else DEFAULT_LANGUAGE


@contextmanager
def in_language(code: str | None) -> Iterator[None]:
    """Words, dates and numbers in `code` (a recipient's language) inside the block, whoever is
    signed in: every email is written in its reader's language."""
    with force_locale(_known_or_default(code)):
        yield


def current_language() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT_LANGUAGE


def text_direction(code: str | None = None) -> str:
    """'ltr' or 'rtl' for `code` (the current language by default), for <html dir>."""
    return _locale(code or current_language()).text_direction


@lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def format_moment(local: datetime, with_zone_name: bool = False) -> str:
    """A local date and time at a glance, in the current language: 'Mon 07 Dec 2026, 08:00',
    'Mo., 7. Dez. 2026, 08:00', '2026年12月7日(月) 8:00'."""
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        text = format_datetime(local, _ENGLISH_DATE_TIME, locale=code)
    else:
        locale = _locale(code)
        pattern = str(locale.datetime_formats["medium"])
        text = pattern.format(
            format_skeleton("Hm", local, locale=locale),
            format_skeleton("yMMMEd", local, locale=locale),
        )
    return f"{text} {local.tzname()}" if with_zone_name and local.tzname() else text


def format_day(day: date | str) -> str:
    """A day with its weekday: 'Mon 07 Dec 2026', 'Mo., 7. Dez. 2026' (an ISO date is read)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return format_datetime(day, _ENGLISH_DATE, locale=code)
    return format_skeleton("yMMMEd", day, locale=_locale(code))


def format_short_day(day: date) -> str:
    """A day without its year: '7 Dec', '7. Dez.', '12月7日'."""
    return format_skeleton("MMMd", day, locale=_locale(_date_locale()))


def format_month(day: date) -> str:
    """A month and year as a heading: 'December 2026', 'Dezember 2026', '2026年12月'."""
    return format_skeleton("yMMMM", day, locale=_locale(_date_locale()))


def format_weekday(day: date, width: str = "abbreviated") -> str:
    """The weekday's name: 'Mon', 'Mo.', '月'."""
    return _locale(_date_locale()).days["format"][width][day.weekday()]


def format_time(local: datetime) -> str:
    """A time of day on the 24-hour clock: '08:00', '8:00'."""
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return format_datetime(local, "HH:mm", locale=code)
    return format_skeleton("Hm", local, locale=_locale(code))


def format_number(number: float) -> str:
    """'12,345' in English, '12.345' in German."""
    return format_decimal(number, locale=_locale(_date_locale()))


def _date_locale() -> str:
    # Day-first British English is what Tickler's English has always written.
    code = current_language()
    return "en_GB" if code == DEFAULT_LANGUAGE else code


def register(app: Flask) -> None:
    """Flask-Babel with catalogs in app/translations; templates get `_`, `ngettext`, the
    language and its direction."""
    Babel(app, locale_selector=select_locale, default_translation_directories="translations")
    # {% trans %} blocks read as one line whatever their indentation (babel.cfg extracts so).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_global(current_language, "current_language")
    app.add_template_global(text_direction, "text_direction")
    app.add_template_global(language_name, "language_name")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_short_day, "short_day")
    app.add_template_filter(format_month, "month_name")
    app.add_template_filter(format_weekday, "weekday")
