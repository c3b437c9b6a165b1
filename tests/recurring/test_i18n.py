"""Recurring tasks in the reader's language: rules in words (whole sentences, CLDR weekday
names), the pages' labels and dates, German and Japanese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.core.i18n import in_language
from app.recurring.rules import describe_rule
from tests.languages import speaks
from tests.recurring.test_pages import NOW, all_series, form

NINE_BERLIN = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)  # Monday 7 January 2030, 09:00 in Berlin


@pytest.fixture(autouse=True)
def clock():
    """The pages' clock (tests/recurring/test_pages.py): their form starts on 7 January 2030,
    which must be within ten years of now and still ahead of it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("language", "rule", "words"),
    [
        ("en", "FREQ=WEEKLY;BYDAY=MO,FR", "Every Monday, Friday at 09:00"),
        ("de", "FREQ=DAILY", "Jeden Tag um 09:00"),
        ("de", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Jeden Werktag um 09:00"),
        ("de", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "Jeden Montag, Mittwoch und Freitag um 09:00"),
        ("de", "FREQ=MONTHLY;BYMONTHDAY=15", "Monatlich am 15. um 09:00"),
        ("fr", "FREQ=WEEKLY;BYDAY=MO,FR", "Chaque lundi et vendredi à 09:00"),
        ("es", "FREQ=WEEKLY;BYDAY=SA", "Cada sábado a las 9:00"),
        ("ja", "FREQ=WEEKLY;BYDAY=MO,FR", "毎週月曜日、金曜日 9:00"),
        ("ja", "FREQ=DAILY", "毎日 9:00"),
        (
            "ja",
            "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
            "毎月 31 日（ない月は月末日） 9:00",
        ),
    ],
)
def test_a_rule_in_words_is_one_sentence_in_the_readers_language(app, language, rule, words):
    with app.test_request_context(), in_language(language):
        assert describe_rule(rule, NINE_BERLIN, "Europe/Berlin") == words


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                "„Standup notes“ wiederholt sich jetzt: Jeden Montag und Mittwoch um 09:30.",
                "Nächste Wiederholungen",
                "Mo., 7. Jan. 2030, 09:30",
                "Vorlage bearbeiten",
            ],
        ),
        (
            "ja",
            [
                "「Standup notes」の繰り返しを設定しました: 毎週月曜日、水曜日 9:30。",
                "今後の予定",
                "2030年1月7日(月) 9:30",
                "テンプレートを編集",
            ],
        ),
    ],
)
def test_the_series_pages_in_german_and_japanese(app, client, make, auth, language, expected):
    olga = make.user(email="olga@example.com", name="Olga", timezone="Europe/Berlin")
    project = make.project(olga)
    speaks(app, olga, language)
    auth.login("olga@example.com")
    page = client.post(
        f"/projects/{project}/recurring/new", data=form(), follow_redirects=True
    ).get_data(as_text=True)
    for text in expected:
        assert text in page
    (series,) = all_series(app)
    listing = client.get(f"/projects/{project}/recurring").get_data(as_text=True)
    assert expected[0].split(": ", 1)[-1].rstrip("。.") in listing
    edit = client.get(f"/recurring/{series.id}/edit").get_data(as_text=True)
    monday = {"de": "Montag", "ja": "月曜日"}[language]
    assert f"> {monday}</label>" in edit, "the weekday checkboxes in CLDR names"


def test_a_refused_rule_is_explained_in_the_readers_language(app, client, make, auth):
    olga = make.user(email="olga@example.com", name="Olga", timezone="Europe/Berlin")
    project = make.project(olga)
    speaks(app, olga, "de")
    auth.login("olga@example.com")
    page = client.post(
        f"/projects/{project}/recurring/new", data=form(frequency="weekly", weekdays=[])
    ).get_data(as_text=True)
    assert "Wählen Sie mindestens einen Wochentag." in page
    page = client.post(
        f"/projects/{project}/recurring/new", data=form(frequency="custom", rule="FREQ=SECONDLY")
    ).get_data(as_text=True)
    assert "Aufgaben können sich höchstens stündlich wiederholen." in page
