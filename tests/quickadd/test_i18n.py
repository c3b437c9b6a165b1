"""Quick add in the person's language: its words, problems and preview dates are translated;
the dates people type are read in their language first, then English, then their browser's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.quickadd.dates import person_date_languages
from app.tasklist.models import Task
from tests.languages import speaks

# Wednesday 2 December 2026, 10:00 in Berlin.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def team(app, make, auth):
    with time_machine.travel(NOW, tick=False):
        ann = make.user(email="ann@example.com", name="Ann Owner", timezone="Europe/Berlin")
        bob = make.user(email="bob@example.com", name="Bob Builder")
        project = make.project(ann, members=(bob,))
        auth.login("ann@example.com")
        yield {"ann": ann, "bob": bob, "project": project}


def test_the_person_language_comes_first_then_english_then_the_browsers():
    assert person_date_languages("de", []) == ("de", "en")
    assert person_date_languages("de", ["fr-FR", "de"]) == ("de", "en", "fr")
    assert person_date_languages("en", ["de-DE"]) == ("en", "de")
    assert person_date_languages("ja", ["es", "fr", "pt"]) == ("ja", "en", "es")
    assert person_date_languages(None, []) == ("en",)


def test_a_german_user_types_german_dates_whatever_the_browser(app, client, team):
    speaks(app, team["ann"], "de")
    with time_machine.travel(NOW, tick=False):
        preview = client.get(
            f"/projects/{team['project']}/quick-add",
            query_string={"text": "Rechnung schicken morgen um 15:00 !high"},
            headers={"Accept-Language": "en-US"},
        ).data.decode()
        assert "Prüfen, dann speichern" in preview and "Aufgabe speichern" in preview
        assert "Do., 3. Dez. 2026, 15:00" in preview, "the preview's date in German"
        assert "(aus „morgen um 15:00“)" in preview
        saved = client.post(
            f"/projects/{team['project']}/quick-add/save",
            data={"text": "Rechnung schicken morgen um 15:00"},
            headers={"Accept-Language": "en-US"},
            follow_redirects=True,
        ).data.decode()
    assert "Aufgabe „Rechnung schicken“ angelegt, fällig Do., 3. Dez. 2026, 15:00" in saved
    with app.app_context():
        task = db.session.scalar(select(Task))
    assert task.title == "Rechnung schicken"
    assert task.due_at == datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_problems_in_japanese(app, client, team):
    speaks(app, team["ann"], "ja")
    with time_machine.travel(NOW, tick=False):
        page = client.get(
            f"/projects/{team['project']}/quick-add",
            query_string={"text": "電話 明日 15時 !urgent @nobody #ops"},
        ).data.decode()
    assert "「!urgent」は優先度ではありません。" in page
    assert "このプロジェクトに @nobody というメンバーはいません。" in page
    assert "「ops」というラベルがなく" in page
    assert "2026年12月3日(木) 15:00" in page, "明日 15時 read as Japanese"
    assert "行を直して、もう一度プレビュー" in page
