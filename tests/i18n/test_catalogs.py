"""The catalogs stay whole: every string people see is marked, every marked string is in every
language's catalog, and no translation breaks a placeholder, a tag or a plural form."""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.i18n.unmarked import ROOT, Unmarked, is_prose, unmarked

TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = ("de", "es", "fr", "ja")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


@lru_cache(maxsize=1)
def marked_strings() -> dict[str, str | None]:
    """msgid -> msgid_plural (or None) of every string marked in app/, as `make translations`
    extracts them (babel.cfg's mapping); a msgid with a context as "context|msgid"."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str | None] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, KEYWORDS
    ):
        prefix = f"{context}|" if context else ""
        if isinstance(message, tuple):
            found[prefix + message[0]] = message[1]
        elif message:
            found[prefix + message] = None
    return found


@lru_cache(maxsize=8)
def catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def messages(language: str) -> list[Message]:
    return [message for message in catalog(language) if message.id]


def key(message: Message) -> str:
    """The msgid, after its context if it has one ("invitation|Revoke")."""
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return f"{message.context}|{msgid}" if message.context else msgid


def test_every_string_shown_to_people_is_marked() -> None:
    found: list[Unmarked] = unmarked()
    assert found == [], f"{len(found)} strings not marked for translation:\n" + "\n".join(
        map(str, found[:80])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_has_every_marked_string_translated(language: str) -> None:
    translated = {
        key(message): message
        for message in messages(language)
        if all(message.string if isinstance(message.string, tuple) else [message.string])
        and "fuzzy" not in message.flags
    }
    missing = sorted(set(marked_strings()) - set(translated))
    assert missing == [], (
        f"{len(missing)} strings have no {language} translation (run `make translations`, then "
        f"translate them in app/translations/{language}/LC_MESSAGES/messages.po):\n"
        + "\n".join(map(repr, missing[:60]))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_keeps_every_placeholder_and_tag(language: str) -> None:
    broken = []
    for message in messages(language):
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        forms = (
            list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        )
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        wanted_tags = sorted(TAG.findall(ids[0]))
        for form in filter(None, forms):
            have = set(PLACEHOLDER.findall(form))
            # A plural form may leave out the count ("eine Aufgabe"); nothing else may go.
            missing = wanted - have - ({"num", "count"} if len(ids) > 1 else set())
            if have - wanted or missing:
                broken.append(f"{key(message)!r}: {form!r} has {sorted(have)}")
            elif sorted(TAG.findall(form)) != wanted_tags:
                broken.append(f"{key(message)!r}: {form!r} changes the HTML tags")
        if forms and any(forms) and "python-format" in message.flags:
            try:
                for form in forms:
                    form % _sample_values(wanted)
            except (KeyError, TypeError, ValueError) as error:
                broken.append(f"{key(message)!r}: {forms!r} fails to format ({error})")
    assert broken == [], "\n".join(broken)


def _sample_values(names: set[str]) -> dict[str, object]:
    return {name: 3 for name in names}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_has_the_languages_plural_forms(language: str) -> None:
    expected = Locale.parse(language).plural_form.rules
    forms = catalog(language).num_plurals
    assert forms == (len(expected) + 1 if expected else 1), (
        f"{language} has {forms} plural forms in its header"
    )
    wrong = [
        key(message)
        for message in messages(language)
        if isinstance(message.id, tuple | list) and len(message.string) != forms
    ]
    assert wrong == []


def test_compiled_catalogs_are_built_not_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == [], "compiled catalogs are built by make, not committed"
    assert "*.mo" in (ROOT / ".gitignore").read_text()


def test_the_finder_sees_unmarked_words_and_passes_marked_ones(tmp_path: Path) -> None:
    """The finder itself: what it must catch, and what it must leave alone."""
    from tests.i18n.unmarked import unmarked_in_python, unmarked_in_template

    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text(
        '<h1>Delete label</h1><input placeholder="Search tasks">'
        "<p>{{ _('Saved') }} {% trans n=3 %}{{ n }} tasks left{% endtrans %}</p>"
        '{{ button(label="Move to trash") }}<a href="{{ url_for(\'tasks.detail\') }}">→</a>'
    )
    texts = sorted(found.text for found in unmarked_in_template(page))
    assert texts == ["Delete label", "Move to trash", "placeholder=Search tasks"]
    module = tmp_path / "views.py"
    module.write_text(
        "from flask import flash\n"
        "from flask_babel import gettext\n"
        "flash('Project saved.', 'success')\n"
        "flash(gettext('Project saved.'), 'success')\n"
        "flash(f'Saved {name}.')\n"
        "log.info('worker started')\n"
        "raise RuntimeError('log in first')\n"
        "raise RuleViolation('Pick a day')\n"
        "flash('Debug only')  # i18n: internal\n"
    )
    lines = sorted(found.line for found in unmarked_in_python(module))
    assert lines == [3, 5, 8]
    assert is_prose("Fälligkeit") and is_prose("タスク") and not is_prose("API · UTC 12")
