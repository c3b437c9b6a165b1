"""The shared pieces speak the reader's language: error pages, form messages, the pager, the
email layout and its task rows (which also lay out right to left)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from app.accounts.forms import LoginForm, ProfileForm
from app.core.i18n import in_language

GERMAN = {"Accept-Language": "de"}


def test_an_error_page_is_written_in_the_browsers_language(client):
    german = client.get("/no-such-page", headers=GERMAN).get_data(as_text=True)
    assert "Nicht gefunden" in german and "Zurück zur Übersicht" in german
    japanese = client.get("/no-such-page", headers={"Accept-Language": "ja"})
    assert "見つかりません" in japanese.get_data(as_text=True)


def test_a_json_error_is_written_in_the_browsers_language(client):
    answer = client.get("/no-such-page", headers={**GERMAN, "Accept": "application/json"})
    assert answer.get_json()["error"] == "Nicht gefunden"


@pytest.mark.parametrize(
    ("language", "too_long", "not_listed"),
    [
        ("en", "Keep your name to 100 characters or fewer.", "Choose a language from the list."),
        ("de", "Kürzen Sie Ihren Namen auf höchstens 100 Zeichen.", "Wählen Sie eine Sprache"),
        ("ja", "お名前は 100 文字以内にしてください。", "一覧から言語を選んでください。"),
    ],
)
def test_form_messages_are_written_when_shown_in_the_current_language(
    app, language, too_long, not_listed
):
    data = MultiDict({"name": "x" * 101, "timezone": "UTC", "language": "xx"})
    with app.test_request_context("/", method="POST"), in_language(language):
        form = ProfileForm(formdata=data, meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == [too_long]
        assert not_listed in form.language.errors[0]
        # Plain strings, which a flash (kept in the session) can store.
        assert all(type(error) is str for error in form.name.errors + form.language.errors)


def test_a_choice_fields_own_message_names_the_field_in_the_current_language(app):
    from app.core.web.form_messages import ChoiceField
    from app.core.web.forms import WebForm

    class Form(WebForm):
        colour = ChoiceField("Colour", choices=[("red", "Red")])

    with app.test_request_context("/", method="POST"):
        form = Form(formdata=MultiDict({"colour": "blue"}), meta={"csrf": False})
        assert not form.validate()
        assert form.colour.errors == ["Choose the colour from the list."]


def test_login_labels_follow_the_language(app):
    with app.test_request_context("/"), in_language("fr"):
        form = LoginForm(meta={"csrf": False})
        assert str(form.password.label.text) == "Mot de passe"
        assert str(form.remember.label.text) == "Rester connecté"


PAGER = '{% from "_macros.html" import pager %}{{ pager(page, noun) }}'


@pytest.mark.parametrize(
    ("language", "noun", "total", "words"),
    [
        ("en", "task", 1, "Page 1 of 1 · 1 task"),
        ("en", "task", 12345, "Page 1 of 1 · 12,345 tasks"),
        ("de", "task", 12345, "Seite 1 von 1 · 12.345 Aufgaben"),
        ("ja", "email", 3, "1 / 1 ページ · 3 件のメール"),
    ],
)
def test_the_pager_counts_in_the_current_language(app, language, noun, total, words):
    page = SimpleNamespace(page=1, pages=1, total=total, has_prev=False, has_next=False)
    with app.test_request_context("/"), in_language(language):
        assert words in render_template_string(PAGER, page=page, noun=noun)


ROWS = '{% include "email/_task_rows.html" %}'
ROWS_TEXT = '{% include "email/_task_rows.txt" %}'


def task_row(days_overdue: int) -> SimpleNamespace:
    return SimpleNamespace(
        id=1,
        title="Ship it",
        project="Launch",
        due="Mo., 7. Dez. 2026, 08:00",
        priority="Hoch",
        priority_value="high",
        status="Offen",
        days_overdue=days_overdue,
    )


@pytest.mark.parametrize(
    ("language", "days", "words"),
    [
        ("en", 1, "1 day overdue"),
        ("en", 3, "3 days overdue"),
        ("de", 1, "1 Tag überfällig"),
        ("de", 3, "3 Tage überfällig"),
        ("ja", 3, "3 日の期限切れ"),
    ],
)
def test_email_task_rows_count_days_overdue_in_the_current_language(app, language, days, words):
    context = {"tasks": [task_row(days)], "urgent": True, "actions": {}, "more": 0}
    with app.test_request_context("/"), in_language(language):
        assert words in render_template_string(ROWS, **context)
        assert words in render_template_string(ROWS_TEXT, **context)


def test_email_task_rows_in_german(app):
    context = {
        "tasks": [task_row(0)],
        "urgent": True,
        "actions": {1: SimpleNamespace(done="d", snooze="s")},
        "more": 2,
        "more_url": "m",
        "more_where": "",
    }
    with app.test_request_context("/"), in_language("de"):
        html = render_template_string(ROWS, **context)
    assert "Launch · fällig Mo., 7. Dez. 2026, 08:00" in html
    assert "seit heute überfällig" in html
    assert "Als erledigt markieren" in html and "Morgen erinnern" in html
    assert "und 2 weitere" in html


LAYOUT = (
    '{% extends "email/_layout.html" %}{% block content %}<p class="comment-quote">q</p>'
    "{% endblock %}"
)


def render_layout(app, direction: str) -> str:
    """The layout as sent: rendered, then its CSS inlined (app/core/email/render.py)."""
    from app.core.email.render import _INLINER
    from app.core.i18n import text_direction

    with app.test_request_context("/"), in_language("de"):
        app.jinja_env.globals["text_direction"] = lambda code=None: direction
        try:
            html = render_template_string(
                LAYOUT,
                subject="S",
                preheader="P",
                unsubscribe_url="u",
                preferences_url="p",
                reply_adds_comment=True,
            )
        finally:
            app.jinja_env.globals["text_direction"] = text_direction
    return _INLINER.inline(html)


def quote_style(html: str) -> str:
    return re.search(r'<p class="comment-quote" style="([^"]*)"', html).group(1)


def test_the_email_layout_is_translated_and_follows_the_direction(app):
    ltr = render_layout(app, "ltr")
    assert "Antworten Sie auf diese E-Mail, um einen Kommentar hinzuzufügen." in ltr
    assert "Wählen Sie, welche E-Mails Sie erhalten</a>" in ltr
    assert 'dir="ltr"' in ltr and 'align="left"' in ltr
    assert "border-left: 3px" in quote_style(ltr) and "border-right" not in quote_style(ltr)
    rtl = render_layout(app, "rtl")
    assert 'dir="rtl"' in rtl and 'align="right"' in rtl and 'align="left"' not in rtl
    assert "border-right: 3px" in quote_style(rtl) and "border-left: 0" in quote_style(rtl)
    assert "float: right" in rtl
