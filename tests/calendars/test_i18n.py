"""Calendars in the reader's language: month and weekday names and week ranges from CLDR (the
week still starts on Monday), the move flash with the locale's date, and the .ics feed's fixed
words in its owner's language, whoever's calendar app asks for it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.tasklist.models import TaskPriority
from tests.calendars.conftest import LATE_MONDAY, WEDNESDAY_NINE
from tests.calendars.test_feed import events_of, turn_on
from tests.calendars.test_pages import day_cell, move
from tests.languages import speaks


def weekday_headers(html: str) -> list[str]:
    row = re.search(r'<div class="cal-weekdays"[^>]*>(.*?)</div>', html, re.S)
    assert row, "the weekday row"
    return re.findall(r"<span>(.*?)</span>", row.group(1))


@pytest.mark.parametrize(
    ("language", "month", "weekdays", "week", "words"),
    [
        (
            "de",
            "Dezember 2026",
            ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
            "7.–13. Dez. 2026",
            ["Heute", "Monat", "Woche", "Verschieben nach…", "Meine Aufgaben: Kalender"],
        ),
        (
            "ja",
            "2026年12月",
            ["月", "火", "水", "木", "金", "土", "日"],
            "2026年12月7日～13日",
            ["今日", "移動…", "マイタスク: カレンダー"],
        ),
    ],
)
def test_the_calendar_in_german_and_japanese(
    client, app, make, auth, team, language, month, weekdays, week, words
):
    make.task(team["project"], team["ann"], title="Ship it", due_at=LATE_MONDAY)
    make.task(
        team["project"], team["ann"], title="Mine", due_at=WEDNESDAY_NINE, assignee_id=team["ann"]
    )
    speaks(app, team["ann"], language)
    auth.login("ann@example.com")
    html = client.get(f"/projects/{team['project']}/calendar?month=2026-12").get_data(as_text=True)
    assert month in html
    assert weekday_headers(html) == weekdays, "Monday first, as before"
    assert "Ship it" in day_cell(html, "2026-12-07") and "23:30" in day_cell(html, "2026-12-07")
    weekly = client.get("/calendar/week?week=2026-12-09").get_data(as_text=True)
    assert week in weekly
    for text in words:
        assert text in weekly


def test_a_day_heading_keeps_the_number_apart_for_the_wide_month_grid(
    client, app, make, auth, team
):
    speaks(app, team["ann"], "ja")
    auth.login("ann@example.com")
    html = client.get("/calendar?month=2026-12").get_data(as_text=True)
    heading = re.search(r'<time datetime="2026-12-07">(.*?)</time>', html).group(1)
    assert heading == (
        '<span class="cal-weekday">月 </span><span class="cal-monthname">12月</span>7'
        '<span class="cal-monthname">日</span>'
    )


def test_the_move_flash_in_german(client, app, make, auth, team):
    friday_nine = datetime(2027, 3, 12, 14, 0, tzinfo=UTC)  # 09:00 EST
    task_id = make.task(
        team["project"], team["ann"], title="Standup", due_at=friday_nine, assignee_id=team["bob"]
    )
    speaks(app, team["ann"], "de")
    auth.login("ann@example.com")
    response = move(client, task_id, "2027-03-15", view="week", project_id=str(team["project"]))
    page = client.get(response.location).get_data(as_text=True)
    assert "„Standup“ auf Mo., 15. März 2027, 09:00" in page and "verschoben." in page
    response = move(client, task_id, "soon")
    page = client.get(response.location).get_data(as_text=True)
    assert "Wählen Sie den Tag, auf den die Aufgabe verschoben werden soll" in page


def test_an_unreadable_month_is_explained_in_japanese(client, app, auth, team):
    speaks(app, team["ann"], "ja")
    auth.login("ann@example.com")
    page = client.get("/calendar?month=soon", follow_redirects=True).get_data(as_text=True)
    assert "「soon」は月ではありません（2026-12 のように書いてください）。" in page


def test_the_feed_speaks_its_owners_language_whoever_asks(client, app, make, auth, team):
    speaks(app, team["ann"], "de")
    auth.login("ann@example.com")
    page = client.post("/calendar/feed", data={"action": "on"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Ihr Kalender-Feed ist an." in html and "Der Feed ist an" in html
    assert 'data-copied="Kopiert."' in html
    path = re.search(r'value="https?://[^"/]+(/calendar/feed/[^"?]+\.ics)"', html).group(1)
    client.post("/logout")
    client.delete_cookie("session")
    make.task(
        team["project"],
        team["ann"],
        title="Write the post",
        due_at=WEDNESDAY_NINE,
        assignee_id=team["ann"],
        priority=TaskPriority.CRITICAL,
    )
    # A calendar app that asks in Japanese still gets Ann's German.
    body = client.get(path, headers={"Accept-Language": "ja"}).data
    assert b"X-WR-CALNAME:Tickler: meine Aufgaben" in body
    event = events_of(body)["Write the post"]
    description = str(event["DESCRIPTION"])
    assert "Projekt: Launch" in description and "Status: " in description
    assert any(str(c).startswith("Priorität ") for c in event["CATEGORIES"].cats)
    assert b"Tickler: Launch" in client.get(f"{path}?project={team['project']}").data


def test_the_feed_url_page_in_japanese(client, app, auth, team):
    speaks(app, team["ann"], "ja")
    auth.login("ann@example.com")
    assert turn_on(client).endswith(".ics")
    page = client.get("/calendar/feed").get_data(as_text=True)
    assert "フィードはオンです" in page and "新しい URL を作成" in page
