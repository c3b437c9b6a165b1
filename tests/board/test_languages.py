"""The board in German and Japanese: column headings are the translated statuses, due dates in
the locale's format, the script's sentences translated in the page, and a move's answer in the
mover's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.tasklist.models import TaskStatus
from tests.languages import speaks

DUE = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def team(app, make, auth):
    owner = make.user(email="ann@example.com", name="Ann Owner")
    project = make.project(owner)
    task = make.task(project, owner, title="Paint the fence", due_at=DUE)
    return {"owner": owner, "project": project, "task": task}


@pytest.mark.parametrize(
    ("code", "words", "moment"),
    [
        ("de", ["Offen", "In Arbeit", "Blockiert", "Erledigt", "Verschieben", "Nach In Arbeit",
                "Nach oben", "Nicht zugewiesen", "Neue Aufgabe", "Filter"],
         "Mo., 7. Dez. 2026, 08:00"),
        ("ja", ["未着手", "進行中", "ブロック中", "完了", "移動", "進行中 へ", "担当者なし",
                "新しいタスク", "絞り込み"], "2026年12月7日(月) 8:00"),
    ],
)  # fmt: skip
@time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False)
def test_board_in_the_readers_language(app, client, auth, team, code, words, moment):
    speaks(app, team["owner"], code)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/board").data.decode()
    for word in words:
        assert word in page
    assert moment in page
    assert "Pending" not in page and "Move</summary>" not in page


def test_the_scripts_sentences_are_in_the_page_translated(app, client, auth, team):
    speaks(app, team["owner"], "de")
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/board").data.decode()
    assert (
        'data-msg-moved-to="„{title}“ nach {column} verschoben, Platz {position} von {count}.'
        in page
    )
    assert 'data-msg-top="„{title}“ ist schon ganz oben."' in page
    assert 'data-msg-reload="{error} Das Board lädt neu' in page


def test_a_move_answers_in_the_movers_language(app, client, auth, team):
    speaks(app, team["owner"], "ja")
    auth.login("ann@example.com")
    response = client.post(
        f"/board/tasks/{team['task']}/move",
        data={"status": TaskStatus.IN_PROGRESS.value},
        headers={"Accept": "application/json"},
    )
    answer = response.get_json()
    assert answer["status_label"] == "進行中"
    assert answer["message"] == "「Paint the fence」を進行中に移動しました。"
    refused = client.post(
        f"/board/tasks/{team['task']}/move",
        data={"status": "sideways"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400
    assert "未着手, 進行中, ブロック中, 完了" in refused.get_json()["error"]
