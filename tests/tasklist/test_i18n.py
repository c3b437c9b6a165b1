"""The task pages in the reader's language: German and Japanese words, and each locale's dates
(the dashboard's deadline groups and week, a task's facts, the list, the Trash)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.tasklist.deadlines import due_date_problem, local_week
from tests.languages import speaks

# Monday 7 December 2026, 07:00 UTC (08:00 in Berlin).
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(app, make, auth):
    ann = make.user(email="ann@example.com", name="Ann", timezone="Europe/Berlin")
    project = make.project(ann, name="Launch")
    late = make.task(
        project, ann, title="Late report", assignee_id=ann, due_at=NOW - timedelta(days=2)
    )
    soon = make.task(project, ann, title="Call supplier", assignee_id=ann, due_at=NOW)
    make.task(project, ann, title="Plan friday", assignee_id=ann, due_at=NOW + timedelta(days=4))
    return {"ann": ann, "project": project, "late": late, "soon": soon}


def test_the_dashboard_in_german(app, client, auth, team):
    speaks(app, team["ann"], "de")
    auth.login("ann@example.com")
    page = client.get("/").data.decode()
    assert '<html lang="de"' in page
    for words in ("Hallo, Ann", "Überfällig", "In den nächsten 24 Stunden fällig"):
        assert words in page
    assert "Später in dieser Woche" in page and "(Mo., 7.\u2009–\u2009So., 13. Dez.)" in page
    assert "3 offene Aufgaben sind Ihnen zugewiesen." in page
    assert "Overdue" not in page and "Later this week" not in page


def test_the_dashboard_in_japanese(app, client, auth, team):
    speaks(app, team["ann"], "ja")
    auth.login("ann@example.com")
    page = client.get("/").data.decode()
    assert "期限切れ" in page and "24時間以内に期限" in page and "今週この後" in page
    assert "12月7日(月)～13日(日)" in page
    assert "あなたに割り当てられた未完了のタスクは 3 件です。" in page


def test_a_task_page_in_german_and_japanese(app, client, auth, team):
    speaks(app, team["ann"], "de")
    auth.login("ann@example.com")
    page = client.get(f"/task/{team['soon']}").data.decode()
    assert "Als erledigt markieren" in page and "Zuständige Person" in page
    assert "Mo., 7. Dez. 2026, 08:00" in page, "the due date in German"
    assert "Meine Erinnerungen" in page and "Noch keine Kommentare." in page
    assert "in den Papierkorb des Projekts verschieben? Sie können sie 30 Tage" in page
    speaks(app, team["ann"], "ja")
    page = client.get(f"/task/{team['soon']}").data.decode()
    assert "完了にする" in page and "担当者" in page
    assert "2026年12月7日(月) 8:00" in page, "the due date in Japanese"


def test_the_list_and_the_trash_in_german(app, client, auth, team):
    speaks(app, team["ann"], "de")
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/tasks").data.decode()
    assert "Neue Aufgabe" in page and "Fälligkeitsdatum (früheste zuerst)" in page
    assert "Schnell hinzufügen" in page
    assert 'data-label="Aufgabe"' in page
    deleted = client.post(f"/task/{team['late']}/delete", follow_redirects=True).data.decode()
    assert "Aufgabe gelöscht. „Late report“ liegt im Papierkorb des Projekts." in deleted
    assert "Rückgängig" in deleted
    trash = client.get(f"/projects/{team['project']}/trash").data.decode()
    assert "Gelöschte Aufgaben bleiben 30 Tage hier" in trash
    assert "Mo., 7. Dez. 2026, 08:00" in trash and "30 Tage" in trash


def test_the_task_form_and_its_messages_in_japanese(app, client, auth, team):
    speaks(app, team["ann"], "ja")
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/tasks/new").data.decode()
    assert "タイトル" in page and "担当者なし" in page and "あなたの時刻（Europe/Berlin）" in page
    assert ">未着手<" in page and ">緊急<" in page, "status and priority choices"
    refused = client.post(
        f"/projects/{team['project']}/tasks/new",
        data={"title": "", "status": "nope", "priority": "medium", "assignee_id": "0"},
    ).data.decode()
    assert "タスクにタイトルを付けてください。" in refused
    assert "ステータスをリストから選んでください。" in refused


def test_week_words_and_due_date_problems_follow_the_language(app):
    week = local_week(NOW, "Europe/Berlin")
    with app.test_request_context():
        assert week.words == "Mon 7 – Sun 13 Dec", "Tickler's English is unchanged"
        assert due_date_problem(datetime(1900, 1, 1, tzinfo=UTC), NOW).startswith(
            "01 Jan 1900 is more than a year ago"
        )
    from app.core.i18n import in_language

    with app.test_request_context(), in_language("de"):
        assert week.words == "Mo., 7.\u2009–\u2009So., 13. Dez."
        assert due_date_problem(datetime(1900, 1, 1, tzinfo=UTC), NOW).startswith(
            "1. Jan. 1900 liegt mehr als ein Jahr zurück"
        )
