"""Exports through the API: started as the task list's Export button, polled, downloaded."""

from __future__ import annotations

import csv
import io
import time

import pytest
from flask import Flask

from app.core.database import utcnow
from app.exports import service as export_rules
from app.exports.models import Export, ExportStatus
from app.extensions import db
from app.tasklist.models import TaskStatus
from app.tasklist.service import TaskFilters


@pytest.fixture
def export_dir(app: Flask, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    return path


def queued_export(app: Flask, user_id: int, project_id: int) -> int:
    with app.app_context():
        export = export_rules.create_export(
            db.session, user_id=user_id, project_id=project_id, export_format="csv",
            filters=TaskFilters(),
        )  # fmt: skip
        db.session.commit()
        return export.id


def test_an_export_starts_runs_and_downloads_with_the_lists_filters(
    app: Flask, api_as, make, celery_worker, export_dir
) -> None:
    ann = make.user()
    project = make.project(ann, name="Garden")
    make.task(project, ann, title="Dig")
    make.task(project, ann, title="Done already", status=TaskStatus.COMPLETED)
    api = api_as(ann)
    started = api.post(
        "/api/v1/exports",
        json={"project_id": project, "format": "csv", "filters": {"status": ["pending"]}},
    )
    assert started.status_code == 201, started.json
    url = started.headers["Location"]
    deadline = time.monotonic() + 60
    while (body := api.get(url).json)["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, body
        time.sleep(0.1)
    assert body["status"] == "done" and body["percent"] == 100
    download = api.get(body["download_url"])
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    titles = [
        row["title"] for row in csv.DictReader(io.StringIO(download.data.decode("utf-8-sig")))
    ]
    assert titles == ["Dig"]


def test_downloading_a_running_export_is_a_409_problem(app: Flask, api_as, make) -> None:
    ann = make.user()
    export_id = queued_export(app, ann, make.project(ann))
    response = api_as(ann).get(f"/api/v1/exports/{export_id}/download")
    assert response.status_code == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "queued" in response.json["detail"]


def test_an_expired_export_is_gone(app: Flask, api_as, make) -> None:
    ann = make.user()
    export_id = queued_export(app, ann, make.project(ann))
    with app.app_context():
        export = db.session.get(Export, export_id)
        assert export is not None
        export.status = ExportStatus.EXPIRED
        db.session.commit()
    assert api_as(ann).get(f"/api/v1/exports/{export_id}/download").status_code == 410


def test_bad_format_and_filters_are_422_and_make_nothing(app: Flask, api_as, make) -> None:
    ann = make.user()
    project = make.project(ann)
    api = api_as(ann)
    bad_format = api.post("/api/v1/exports", json={"project_id": project, "format": "pdf"})
    assert bad_format.status_code == 422 and bad_format.json["errors"][0]["field"] == "format"
    bad_filter = api.post(
        "/api/v1/exports", json={"format": "csv", "filters": {"status": ["someday"]}}
    )
    assert bad_filter.status_code == 422
    assert bad_filter.json["errors"][0]["field"].startswith("filters.status")
    with app.app_context():
        assert db.session.query(Export).count() == 0


def test_an_outsiders_project_is_not_found_before_the_format_is_judged(api_as, make) -> None:
    bob = make.user()
    theirs = make.project(bob)
    response = api_as(make.user()).post(
        "/api/v1/exports", json={"project_id": theirs, "format": "csv"}
    )
    assert response.status_code == 404


def test_a_broker_that_is_down_fails_the_export_and_says_so(
    app: Flask, api_as, make, monkeypatch
) -> None:
    import app.api.exports as api_exports

    monkeypatch.setattr(api_exports, "try_queue", lambda *args: None)
    ann = make.user()
    response = api_as(ann).post("/api/v1/exports", json={"format": "xlsx"})
    assert response.status_code == 201
    assert response.json["status"] == "failed"
    assert response.json["error"] == export_rules.QUEUE_DOWN_MESSAGE
    assert utcnow()  # the failure is stored with its time
