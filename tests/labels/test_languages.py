"""The Labels page and a task's labels and checklist in German and Japanese."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.labels.models import Label
from tests.languages import speaks


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("de", ["Neues Label", "Label anlegen", "Labels dieses Projekts", "Blau", "Eigene Farbe",
                "0 Aufgaben", "Umbenennen oder Farbe ändern", "„ops“ speichern"]),
        ("ja", ["新しいラベル", "ラベルを作成", "このプロジェクトのラベル", "青", "カスタムの色",
                "0 件のタスク", "名前や色を変更", "「ops」を保存"]),
    ],
)  # fmt: skip
def test_labels_page_in_the_readers_language(app, client, make, auth, code, words):
    owner = make.user(email="ann@example.com")
    project = make.project(owner)
    with app.app_context():
        db.session.add(Label(project_id=project, name="ops", color="#2e7d32"))
        db.session.commit()
    speaks(app, owner, code)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/labels").data.decode()
    for word in words:
        assert word in page


def test_label_errors_and_flashes_in_the_readers_language(app, client, make, auth):
    owner = make.user(email="ann@example.com")
    project = make.project(owner)
    speaks(app, owner, "de")
    auth.login("ann@example.com")
    refused = client.post(f"/projects/{project}/labels", data={"name": "", "color": "#2e7d32"})
    assert "Geben Sie dem Label einen Namen." in refused.data.decode()
    made = client.post(
        f"/projects/{project}/labels",
        data={"name": "ops", "color": "#2e7d32"},
        follow_redirects=True,
    )
    assert "Label „ops“ angelegt." in made.data.decode()
