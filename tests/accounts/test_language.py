"""Each person reads Tickler in their language: chosen on the profile, guessed from the browser
at sign-up, and used for the pages they see and the account emails they get.

The translated words come from the catalogs (`make catalogs`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts import tokens
from app.accounts.emails import compose_account_email
from app.accounts.models import User
from app.extensions import db
from tests.accounts.test_auth import REGISTRATION

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


def set_language(app, user_id: int, language: str, **values) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        user.language = language
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


def profile_post(language: str, **extra: str) -> dict[str, str]:
    return {
        "profile-name": "Ann",
        "profile-timezone": "UTC",
        "profile-language": language,
        "profile-submit": "1",
        **extra,
    }


def test_a_new_account_takes_its_browsers_language(client, app):
    response = client.post("/register", data=REGISTRATION, headers=GERMAN)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.language == "de"
        link = "/verify-email/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user
        )
    # The next page, once signed in, is German whatever the browser says now.
    client.post(link)
    page = client.get("/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de"' in page
    assert "Ihr Profil" in page


def test_a_browser_without_a_language_we_have_gets_english(client, app):
    client.post("/register", data=REGISTRATION, headers={"Accept-Language": "pt-BR"})
    with app.app_context():
        assert db.session.scalar(select(User.language)) == "en"


def test_logged_out_pages_follow_the_browser(client):
    german = client.get("/login", headers=GERMAN).get_data(as_text=True)
    assert '<html lang="de"' in german and "Anmelden" in german and "Passwort" in german
    japanese = client.get("/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="ja"' in japanese and "ログイン" in japanese
    english = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in english and "Log in" in english


def test_the_profile_offers_each_language_named_in_itself(client, make, auth):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    page = client.get("/profile").get_data(as_text=True)
    for name in ("English", "Deutsch", "Español", "Français", "日本語"):
        assert name in page
    assert 'name="profile-language"' in page


def test_choosing_japanese_makes_the_pages_and_the_flash_japanese(client, make, auth, app):
    me = make.user(email="ann@example.com", name="Ann")
    auth.login("ann@example.com")
    response = client.post("/profile", data=profile_post("ja"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert make.get(User, me).language == "ja"
    assert '<html lang="ja"' in page
    # The flash of this very save is already in the new language.
    assert "プロフィールを保存しました。" in page and "Profile saved" not in page
    assert "ダッシュボード" in page and "ログアウト" in page


def test_an_unknown_language_is_refused_with_a_clear_message(client, make, auth):
    me = make.user(email="ann@example.com", name="Ann")
    auth.login("ann@example.com")
    response = client.post("/profile", data=profile_post("xx"))
    assert response.status_code == 200
    assert "Choose a language from the list." in response.get_data(as_text=True)
    assert make.get(User, me).language == "en"


def test_the_profile_in_german_and_japanese_with_dates_in_their_format(client, make, auth, app):
    me = make.user(email="ann@example.com", name="Ann")
    bounced = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    set_language(
        app,
        me,
        "de",
        email_undeliverable_at=bounced,
        email_undeliverable_reason="550 no such user",
    )
    auth.login("ann@example.com")
    german = client.get("/profile").get_data(as_text=True)
    assert "Wir senden seit Mo., 7. Dez. 2026, 08:00 UTC keine E-Mails mehr" in german
    assert "Passwort ändern" in german and "Wo Sie angemeldet sind" in german
    set_language(app, me, "ja")
    japanese = client.get("/profile").get_data(as_text=True)
    assert (
        "2026年12月7日(月) 8:00 UTC から ann@example.com へのメール送信を停止しました" in japanese
    )
    assert "パスワードを変更" in japanese


def test_the_login_flash_and_form_errors_are_translated(client, make):
    make.user(email="ann@example.com")
    wrong = client.post(
        "/login", data={"email": "ann@example.com", "password": "not it"}, headers=GERMAN
    )
    assert "E-Mail und Passwort passen zu keinem aktiven Konto." in wrong.get_data(as_text=True)
    empty = client.post("/login", data={"email": "", "password": ""}, headers=GERMAN)
    assert "Geben Sie Ihre E-Mail-Adresse ein." in empty.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("de", "Tickler-Passwort zurücksetzen", "Hallo Ann, jemand (hoffentlich Sie)"),
        ("ja", "Tickler のパスワードのリセット", "Ann さん、Tickler アカウントのパスワード"),
        ("en", "Reset your Tickler password", "Hi Ann, someone (we hope you)"),
    ],
)
def test_an_account_email_is_written_in_its_recipients_language(
    app, make, language, subject, words
):
    me = make.user(email="ann@example.com", name="Ann")
    set_language(app, me, language)
    # Composed during someone else's French request: the French must not leak in.
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        user = db.session.get(User, me)
        content = compose_account_email(tokens.PASSWORD_RESET, user).content
    assert content.subject == subject
    assert words in content.text.replace("\n", " ")
    assert words in content.html
    assert f'<html lang="{language}"' in content.html
