"""Every email in every language: written in its reader's language (subject, both parts, the
<html lang>), its text part wrapped at 78 columns (Japanese too), and fitting a 375 px phone
(German is long; Japanese has no spaces to wrap at)."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from typing import Any

import pytest

from app import create_app
from app.core.email.render import TEXT_WIDTH, display_width
from app.extensions import limiter
from tests.conftest import app_settings, current_celery_apps, restore_celery_apps
from tests.email_quality.conftest import RESULTS
from tests.email_quality.every_email import SentEmail, every_email
from tests.i18n.leftovers import english_leftovers

LANGUAGES = ("de", "es", "fr", "ja")
PHONE = 375
# What only a German, Spanish, French or Japanese email says, whatever its kind: its footer.
FOOTER_WORDS = {
    "de": "E-Mail",
    "es": "correo",
    "fr": "e-mail",
    "ja": "メール",
}


@pytest.fixture(scope="module")
def emails_by_language(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, SentEmail]]:
    database = tmp_path_factory.mktemp("email-languages") / "unused.db"
    apps, storage = current_celery_apps(), (limiter._storage, limiter._limiter)
    try:
        app = create_app(app_settings(f"sqlite:///{database}", {"broker_url": "memory://"}))
        by_language = {
            language: every_email(app, language, crowded=False) for language in ("en", *LANGUAGES)
        }
    finally:
        restore_celery_apps(apps)
        limiter._storage, limiter._limiter = storage
    for language, emails in by_language.items():
        folder = RESULTS / language
        folder.mkdir(parents=True, exist_ok=True)
        for name, email in emails.items():
            (folder / f"{name}.html").write_text(email.html)
    return by_language


def subject(email: SentEmail) -> str:
    return str(make_header(decode_header(email.message["Subject"])))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_is_written_in_its_readers_language(
    emails_by_language: dict[str, dict[str, SentEmail]], language: str
) -> None:
    english, translated = emails_by_language["en"], emails_by_language[language]
    assert set(translated) == set(english)
    wrong = []
    for name, email in translated.items():
        # An answer's subject is "Re: " and the sender's own subject, in every language.
        if subject(email) == subject(english[name]) and not name.startswith("inbound_refused"):
            wrong.append(f"{name}: the subject is the English one ({subject(email)!r})")
        if not re.search(rf'<html lang="{language}"', email.html):
            wrong.append(f"{name}: <html lang> is not {language}")
        if email.part("plain") == english[name].part("plain"):
            wrong.append(f"{name}: the text part is the English one")
        if FOOTER_WORDS[language] not in email.part("plain") + email.html:
            wrong.append(f"{name}: no {FOOTER_WORDS[language]!r} in it")
        long_lines = [
            line
            for line in email.part("plain").splitlines()
            if display_width(line) > TEXT_WIDTH and len(line.split()) > 1
        ]
        if long_lines:
            wrong.append(f"{name}: text lines wider than {TEXT_WIDTH} columns: {long_lines[:2]}")
        if language == "ja" and (leftovers := english_leftovers(email.part("plain"))):
            wrong.append(f"{name}: English left in it: {leftovers[:5]}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_fits_a_phone_in_every_language(
    browser: Any, emails_by_language: dict[str, dict[str, SentEmail]], language: str
) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": 900}, is_mobile=True)
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    overflowing = {}
    try:
        for name, email in emails_by_language[language].items():
            page.set_content(email.html)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                overflowing[name] = width
    finally:
        context.close()
    assert overflowing == {}, f"{language} emails wider than {PHONE} px: {overflowing}"
