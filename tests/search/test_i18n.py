"""Search in the reader's language: filter labels, counts with the language's plural forms,
"no results" sentences, refused filter values and due dates in the locale's format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import User
from tests.search.conftest import SearchWorld
from tests.search.test_page import team, titles

MONDAY_EIGHT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def speaking(world: SearchWorld, language: str) -> tuple[int, int, str]:
    person, project, email = team(world)
    world.update(User, person, language=language)
    return person, project, email


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                "2 Aufgaben gefunden, beste Treffer zuerst.",
                "fällig Mo., 7. Dez. 2026, 08:00",
                "Zuständige Person",
                "Archivierte einbeziehen",
                "In einem Kommentar von Ann:",
            ],
        ),
        (
            "ja",
            [
                "2 件のタスクが見つかりました（関連度の高い順）。",
                "期限 2026年12月7日(月) 8:00",
                "担当者",
                "アーカイブ済みも含める",
                "Ann さんのコメント内:",
            ],
        ),
    ],
)
def test_results_in_german_and_japanese(world: SearchWorld, language, expected):
    ann, project, email = speaking(world, language)
    world.task(project, ann, title="Order tulip bulbs", due_at=MONDAY_EIGHT)
    commented = world.task(project, ann, title="Spring chores")
    world.comment(commented, ann, "Remember the tulip order")
    html = world.client_for(email).get("/search?q=tulip").get_data(as_text=True)
    assert titles(html) == ["Order tulip bulbs", "Spring chores"]
    for text in expected:
        assert text in html


def test_one_result_is_singular_in_german(world: SearchWorld):
    ann, project, email = speaking(world, "de")
    world.task(project, ann, title="Order tulip bulbs", assignee_id=ann)
    html = world.client_for(email).get("/search?q=tulip&assignee=me").get_data(as_text=True)
    assert "1 Aufgabe mit diesen Filtern gefunden, beste Treffer zuerst." in html


def test_nothing_found_and_refused_filters_in_german(world: SearchWorld):
    ann, project, email = speaking(world, "de")
    html = (
        world.client_for(email)
        .get("/search?q=daffodil&due_from=soon&status=lost&assignee=me")
        .get_data(as_text=True)
    )
    assert "Keine Aufgaben passen mit diesen Filtern zu „daffodil“." in html
    assert "„Von“ &#39;soon&#39; ist kein Datum wie 2026-12-31" in html
    assert "Status &#39;lost&#39; ist kein Aufgabenstatus" in html
    assert "Ohne Filter suchen</a>." in html


def test_the_empty_page_in_japanese(world: SearchWorld):
    _ann, _project, email = speaking(world, "ja")
    html = world.client_for(email).get("/search").get_data(as_text=True)
    assert "どのページでも <kbd>/</kbd> を押すと検索できます。" in html
    assert 'placeholder="タスクのタイトル・説明・コメントに含まれる語"' in html
