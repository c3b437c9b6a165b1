"""A task's checklist in German and Japanese: its words, labels for screen readers and the
messages after a refused change."""

from __future__ import annotations

import pytest

from app.checklists.models import ChecklistItem
from app.extensions import db
from tests.languages import speaks


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("de", ["Checkliste", "1 von 2 erledigt", "„Buy paint“ nach oben", "Eintrag hinzufügen",
                "Eintrag entfernen", "Haken bei „Buy paint“ entfernen"]),
        ("ja", ["チェックリスト", "2 件中 1 件完了", "「Buy paint」を上へ", "項目を追加",
                "項目を削除", "「Buy paint」のチェックを外す"]),
    ],
)  # fmt: skip
def test_checklist_in_the_readers_language(app, client, make, auth, code, words):
    owner = make.user(email="ann@example.com")
    project = make.project(owner)
    task = make.task(project, owner, title="Paint the shed")
    with app.app_context():
        db.session.add_all(
            [
                ChecklistItem(task_id=task, text="Buy brushes", position=1.0),
                ChecklistItem(task_id=task, text="Buy paint", position=2.0, done_by_id=owner),
            ]
        )
        db.session.flush()
        from app.core.database import utcnow

        db.session.query(ChecklistItem).filter_by(text="Buy paint").one().done_at = utcnow()
        db.session.commit()
    speaks(app, owner, code)
    auth.login("ann@example.com")
    page = client.get(f"/task/{task}").data.decode()
    for word in words:
        assert word in page


def test_a_refused_item_says_why_in_the_readers_language(app, client, make, auth):
    owner = make.user(email="ann@example.com")
    project = make.project(owner)
    task = make.task(project, owner)
    speaks(app, owner, "de")
    auth.login("ann@example.com")
    page = client.post(f"/task/{task}/checklist", data={"text": " "}, follow_redirects=True)
    assert (
        "Der Eintrag wurde nicht hinzugefügt: Schreiben Sie, was der Eintrag ist."
        in page.data.decode()
    )
