"""Labels in exports (a column, and the list's label filter) and in webhook payloads."""

import csv
import json
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.database import utcnow
from app.exports import service as export_rules
from app.exports.format import COLUMNS
from app.exports.models import Export
from app.exports.run import run_export
from app.extensions import db
from app.tasklist.models import Task
from app.tasklist.service import TaskFilters
from app.webhooks.models import WebhookDelivery, WebhookSubscription


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    return path


def export_file(app, export_dir, user_id, project_id, export_format, filters):
    with app.app_context():
        export = export_rules.create_export(
            db.session,
            user_id=user_id,
            project_id=project_id,
            export_format=export_format,
            filters=filters,
        )
        db.session.commit()
        outcome = run_export(db.session, export.id, export_dir, 10, timedelta(hours=1), utcnow())
        assert outcome.status == "done"
    [path] = [p for p in export_dir.iterdir() if p.suffix == f".{export_format}"]
    return path


@pytest.fixture
def labelled(make, labels):
    ann = make.user()
    project = make.project(ann)
    ops, bug = labels.add(project, "ops"), labels.add(project, "=bug")
    deploy = make.task(project, ann, title="Deploy")
    crash = make.task(project, ann, title="Crash")
    make.task(project, ann, title="Plain")
    labels.put(deploy, ops, bug)
    labels.put(crash, bug)
    return {"ann": ann, "project": project, "ops": ops, "bug": bug}


def test_csv_has_a_labels_column_and_follows_the_label_filter(app, export_dir, labelled):
    path = export_file(
        app,
        export_dir,
        labelled["ann"],
        labelled["project"],
        "csv",
        TaskFilters(label_ids=(labelled["ops"],)),
    )
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == list(COLUMNS)
    assert [(row["title"], row["labels"]) for row in rows] == [("Deploy", "'=bug, ops")]


def test_xlsx_has_the_labels_as_text(app, export_dir, labelled):
    path = export_file(app, export_dir, labelled["ann"], labelled["project"], "xlsx", TaskFilters())
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("labels")
    cells = {row[1].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert cells == {"Deploy": "=bug, ops", "Crash": "=bug", "Plain": None}
    assert sheet.cell(2, column + 1).data_type == "s"  # text, never a formula


def test_the_export_form_keeps_the_label_filter(client, auth, make, app, labelled):
    auth.login(make.get(User, labelled["ann"]).email)
    response = client.post(
        f"/projects/{labelled['project']}/tasks/export",
        data={"format": "csv", "label": [str(labelled["bug"])]},
    )
    assert response.status_code == 302
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.filters["label_ids"] == [labelled["bug"]]


def test_a_tampered_label_filter_fails_the_export_clearly():
    with pytest.raises(export_rules.RuleViolation, match="filters are not valid"):
        export_rules.filters_from_json({"label_ids": ["1; drop"]})


def test_changing_labels_sends_task_updated_with_the_labels(client, app, make, auth, labels):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    ops = labels.add(project, "ops", "#00695c")
    task = make.task(project, ann, title="Deploy")
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=project,
                created_by_id=ann,
                url="https://hooks.example.com/in",
                secret="s" * 32,
                events="task.created task.updated",
            )
        )
        db.session.commit()
    auth.login("ann@example.com")
    client.post(f"/task/{task}/labels", data={"label": [str(ops)]})
    client.post(
        f"/task/{task}/edit",
        data={
            "title": "Deploy now",
            "status": "pending",
            "priority": "medium",
            "due_at": "",
            "assignee_id": "0",
            "labels": [str(ops)],
        },
    )
    with app.app_context():
        payloads = [
            (d.event, json.loads(d.payload))
            for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        ]
        assert db.session.get(Task, task).title == "Deploy now"
    assert [event for event, _ in payloads] == ["task.updated", "task.updated"]
    for _, body in payloads:
        assert body["data"]["task"]["labels"] == [{"id": ops, "name": "ops", "color": "#00695c"}]
