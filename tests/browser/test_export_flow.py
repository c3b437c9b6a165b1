"""A person exports a filtered task list from the browser and downloads the file."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from app.tasklist.models import TaskPriority

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PASSWORD = "a good long password"


def test_export_from_the_task_list_shows_progress_then_downloads(
    live_server, page, make, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    ann = make.user(email="ann@example.com", name="Ann", password=PASSWORD)
    project = make.project(ann, name="Garden")
    make.task(project, ann, title="=Plant tulips", priority=TaskPriority.HIGH)
    make.task(project, ann, title="Mow the lawn", priority=TaskPriority.LOW)

    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server}/projects/{project}/tasks?priority=high")

    page.select_option(".export-form select[name=format]", "csv")
    page.click(".export-form button:has-text('Export')")
    page.wait_for_url("**/exports/*")
    assert page.locator("progress").count() == 1
    # app.js polls the status and reloads once the worker is done.
    link = page.locator("a:has-text('Download CSV')")
    link.wait_for(state="visible", timeout=20_000)
    assert "1 of 1 row" in page.content()

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("tickler-garden-")
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == ["'=Plant tulips"]


def test_the_progress_bar_follows_the_worker_without_reloading(
    live_server, page, make, app, tmp_path, monkeypatch
):
    from app.core.database import utcnow
    from app.exports.models import Export, ExportFormat, ExportStatus
    from app.extensions import db

    export_dir = tmp_path / "exports"
    export_dir.mkdir()
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(export_dir))
    ann = make.user(email="ann@example.com", password=PASSWORD)
    with app.app_context():
        export = Export(
            user_id=ann, format=ExportFormat.CSV, filters={}, status=ExportStatus.RUNNING,
            rows_written=0, total_rows=400,
        )  # fmt: skip
        db.session.add(export)
        db.session.commit()
        export_id = export.id

    def update(**values):
        with app.app_context():
            db.session.query(Export).filter_by(id=export_id).update(values)
            db.session.commit()

    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server}/exports/{export_id}")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    update(rows_written=100)
    # Polled with evaluate: wait_for_function evaluates a string, which our CSP forbids.
    deadline = time.monotonic() + 15
    while page.evaluate("document.querySelector('progress').value") != 25:
        assert time.monotonic() < deadline, "the progress bar never moved"
        time.sleep(0.1)
    assert page.locator("[data-export-rows]").inner_text() == "100 of 400 rows"
    assert page.evaluate("window.sameDocument") is True

    (export_dir / "export-x.csv").write_text("id\n")
    update(status=ExportStatus.DONE, rows_written=400, file_path="export-x.csv",
           expires_at=utcnow())  # fmt: skip
    page.locator("a:has-text('Download CSV')").wait_for(state="visible", timeout=10_000)
