"""Every page fits a 375 px phone in every language (German is long, Japanese wraps without
spaces) and, in Japanese, shows none of the catalog's English sentences; in a right-to-left
language the layout mirrors without overflowing: a future Arabic or Hebrew catalog needs no
template change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.browser import test_layout as layout
from tests.browser.layout_world import ADMIN_EMAIL
from tests.browser.test_layout import ANYONE, OVERFLOW_SCRIPT, PAGES
from tests.i18n.leftovers import english_leftovers
from tests.security.routes import url_for_rule

# The layout test's module fixtures: the same app, world, signed links, server and sessions.
layout_app, world, links = layout.layout_app, layout.world, layout.links
server, sessions = layout.server, layout.sessions

pytestmark = [pytest.mark.browser]

PHONE = 375
# Pages whose words are not the viewer's: the API's reference (OpenAPI, written for developers,
# in English) and an email kept in the dev mailbox (in its recipient's language).
SHOWS_OTHERS_WORDS = {"api_docs.page", "dev_mail.show"}
LANGUAGES = ("en", "de", "es", "fr", "ja")
# Hebrew has no catalog: its pages read in English, laid out right to left, as a new
# right-to-left catalog's would be.
RIGHT_TO_LEFT = "he"


@contextmanager
def admin_reads(app: Flask, language: str) -> Iterator[None]:
    """The admin's language is `language` for the block (the admin sees every page in full)."""
    with app.app_context():
        db.session.execute(update(User).where(User.email == ADMIN_EMAIL).values(language=language))
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(update(User).where(User.email == ADMIN_EMAIL).values(language="en"))
            db.session.commit()


def page_urls(app: Flask, world: Any, links: dict[str, str]) -> list[tuple[str, str, str]]:
    """(endpoint, who, url) for every listed page."""
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    return [
        (endpoint, spec.who, url_for_rule(rules[endpoint], spec.values(world, links)) + spec.query)
        for endpoint, spec in PAGES.items()
    ]


def problems_on_every_page(
    browser: Any,
    server: str,
    state: dict,
    urls: list[tuple[str, str, str]],
    language: str,
    width: int = PHONE,
) -> list[str]:
    """Each page visited in one browser whose Accept-Language is `language`: what overflows,
    and any page whose <html lang> is not the language asked for."""
    found: list[str] = []
    for who, context_state in (("anyone", None), ("admin", state)):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            storage_state=context_state,
            locale=language,
            timezone_id="Asia/Tokyo" if language == "ja" else "Europe/Berlin",
        )
        page = context.new_page()
        try:
            for endpoint, page_who, path in urls:
                if (page_who == ANYONE) != (who == "anyone"):
                    continue
                page.goto(server + path)
                page.wait_for_load_state("load")
                lang = page.evaluate("document.documentElement.lang")
                direction = page.evaluate("document.documentElement.dir")
                measured = page.evaluate(OVERFLOW_SCRIPT)
                if endpoint != "api_docs.page" and lang != language:
                    found.append(f"{endpoint}: <html lang={lang!r}>, not {language!r}")
                if language == RIGHT_TO_LEFT and endpoint != "api_docs.page" and direction != "rtl":
                    found.append(f"{endpoint}: <html dir={direction!r}>")
                if language == "ja" and endpoint not in SHOWS_OTHERS_WORDS:
                    leftovers = english_leftovers(page.inner_text("body"))
                    if leftovers:
                        found.append(f"{endpoint} ({who}) shows English: {leftovers[:5]}")
                if measured["scrollWidth"] > measured["clientWidth"]:
                    found.append(
                        f"{endpoint} ({who}) {measured['scrollWidth']} px wide at {width} px; "
                        f"sticking out: {measured['wide']}"
                    )
        finally:
            context.close()
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_fits_a_phone_in_every_language(
    language: str, layout_app: Flask, world, links, server, browser, sessions
) -> None:
    urls = page_urls(layout_app, world, links)
    with admin_reads(layout_app, language):
        problems = problems_on_every_page(browser, server, sessions["admin"], urls, language)
    assert problems == [], f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_a_right_to_left_language_mirrors_every_page_without_overflow(
    width: int, layout_app: Flask, world, links, server, browser, sessions
) -> None:
    urls = page_urls(layout_app, world, links)
    languages = layout_app.config["LANGUAGES"]
    layout_app.config["LANGUAGES"] = (*languages, RIGHT_TO_LEFT)
    try:
        with admin_reads(layout_app, RIGHT_TO_LEFT):
            problems = problems_on_every_page(
                browser, server, sessions["admin"], urls, RIGHT_TO_LEFT, width
            )
    finally:
        layout_app.config["LANGUAGES"] = languages
    assert problems == [], "\n".join(problems)
