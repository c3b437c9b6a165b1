"""Exports in the reader's language: the pages and their poller, the export-ready email (the
recipient's, whatever the request's), and the file's header row (the exporting person's for
page exports; the English column names for the API)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from app.accounts.models import User
from app.exports import service as export_rules
from app.exports.emails import compose_export_ready
from app.exports.format import COLUMNS
from app.exports.models import Export, ExportFormat, ExportStatus
from app.exports.run import run_export
from app.extensions import db
from app.tasklist.service import TaskFilters
from tests.languages import speaks

# 08:00 on Monday 7 December 2026 in Berlin, and in Tokyo.
BERLIN_EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
TOKYO_EIGHT = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    monkeypatch.setitem(app.config, "EXPORT_TTL_HOURS", 24)
    return path


def finished_export(app, user_id: int, project_id: int | None, rows: int, expires: datetime):
    with app.app_context():
        export = Export(
            user_id=user_id,
            project_id=project_id,
            format=ExportFormat.CSV,
            filters={},
            status=ExportStatus.DONE,
            rows_written=rows,
            total_rows=rows,
            file_path="export-x.csv",
            finished_at=expires - timedelta(hours=24),
            expires_at=expires,
        )
        db.session.add(export)
        db.session.commit()
        return export.id


def compose(app, export_id: int):
    # A request in English around it: the recipient's language must win.
    with app.test_request_context("/", headers={"Accept-Language": "en-US"}):
        export = db.session.get(Export, export_id)
        return compose_export_ready(export, db.session.get(User, export.user_id)).content


def test_export_ready_email_is_in_the_recipients_german(app, make):
    ann = make.user(name="Ann", timezone="Europe/Berlin")
    project = make.project(ann, name="Garten")
    speaks(app, ann, "de")
    content = compose(app, finished_export(app, ann, project, 2, BERLIN_EIGHT))
    assert content.subject == "Ihr Export von Garten ist fertig"
    assert (
        "Hallo Ann, die angeforderte CSV-Datei ist fertig: 2 Aufgaben aus Garten." in content.text
    )
    assert "Mo., 7. Dez. 2026, 08:00" in content.text
    assert "Datei herunterladen" in content.html and "Mo., 7. Dez. 2026, 08:00" in content.html
    assert "Download the file" not in content.html


def test_export_ready_email_is_in_the_recipients_japanese(app, make):
    ken = make.user(name="Ken", timezone="Asia/Tokyo")
    make.project(ken)
    speaks(app, ken, "ja")
    content = compose(app, finished_export(app, ken, None, 1, TOKYO_EIGHT))
    assert content.subject == "自分のタスクのエクスポートが完了しました"
    # The text part is wrapped at 78 columns, between Japanese characters: read it unwrapped.
    text = content.text.replace("\n", "")
    assert "あなたに割り当てられたタスク 1 件" in text
    assert "2026年12月7日(月) 8:00" in text
    assert "ファイルをダウンロード" in content.html


def test_the_status_page_and_its_poller_speak_german(app, client, make, auth):
    ann = make.user(email="ann@example.com", timezone="Europe/Berlin")
    project = make.project(ann, name="Garten")
    speaks(app, ann, "de")
    auth.login("ann@example.com")
    with app.app_context():
        running = Export(
            user_id=ann,
            project_id=project,
            format=ExportFormat.CSV,
            filters={},
            status=ExportStatus.RUNNING,
            rows_written=250,
            total_rows=1000,
        )
        db.session.add(running)
        db.session.commit()
        running_id = running.id
    page = client.get(f"/exports/{running_id}").data.decode()
    assert "250 von 1000 Zeilen" in page and "Läuft" in page and "Meine Exporte" in page
    body = client.get(f"/exports/{running_id}/status").json
    assert body["label"] == "Läuft" and body["progress"] == "250 von 1000 Zeilen"
    assert body["status"] == "running", "the machine-readable status stays as it is"

    done_id = finished_export(app, ann, project, 3, BERLIN_EIGHT)
    page = client.get(f"/exports/{done_id}").data.decode()
    assert "verfügbar bis Mo., 7. Dez. 2026, 08:00" in page and "CSV herunterladen" in page
    listing = client.get("/exports/").data.decode()
    assert "Dateien werden 24 Stunden nach dem Erstellen gelöscht." in listing


def test_a_failed_exports_stored_error_is_shown_in_japanese(app, client, make, auth):
    ken = make.user(email="ken@example.com")
    project = make.project(ken)
    speaks(app, ken, "ja")
    auth.login("ken@example.com")
    with app.app_context():
        export = Export(
            user_id=ken,
            project_id=project,
            format=ExportFormat.CSV,
            filters={},
            status=ExportStatus.FAILED,
            error=export_rules.QUEUE_DOWN_MESSAGE,
        )
        db.session.add(export)
        db.session.commit()
        export_id = export.id
        assert db.session.get(Export, export_id).error.startswith("The task queue"), (
            "stored English"
        )
    page = client.get(f"/exports/{export_id}").data.decode()
    assert "ジョブキューに接続できなかったため" in page and "再試行" in page
    assert client.get(f"/exports/{export_id}/status").json["label"] == "失敗"


def write(app, export_dir, user_id, project_id, export_format, translate_headers):
    with app.app_context():
        export = export_rules.create_export(
            db.session,
            user_id=user_id,
            project_id=project_id,
            export_format=export_format,
            filters=TaskFilters(),
            translate_headers=translate_headers,
        )
        db.session.commit()
        outcome = run_export(
            db.session, export.id, export_dir, 100, timedelta(hours=24), datetime.now(UTC)
        )
        assert outcome.status == "done"
        return export_dir / db.session.get(Export, export.id).file_path


def test_a_page_export_has_headers_in_the_persons_language_values_unchanged(app, make, export_dir):
    ann = make.user(timezone="Europe/Berlin")
    project = make.project(ann)
    make.task(project, ann, title="Umgraben")
    speaks(app, ann, "de")
    path = write(app, export_dir, ann, project, "csv", translate_headers=True)
    [header, row] = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert header == [
        "ID",
        "Titel",
        "Status",
        "Priorität",
        "Projekt",
        "Zuständige Person",
        "Fällig",
        "Erstellt",
        "Erledigt",
        "Beschreibung",
        "Labels",
    ]
    assert row[1] == "Umgraben" and row[2] == "pending", "status codes stay machine-readable"
    assert row[7][:4].isdigit() and "T" in row[7], "dates stay ISO 8601"


def test_a_japanese_xlsx_export_names_its_sheet_and_headers_in_japanese(app, make, export_dir):
    ken = make.user()
    project = make.project(ken)
    make.task(project, ken)
    speaks(app, ken, "ja")
    path = write(app, export_dir, ken, project, "xlsx", translate_headers=True)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "タスク"
    assert [cell.value for cell in sheet[1]][:3] == ["ID", "タイトル", "ステータス"]


def test_an_api_export_keeps_the_english_column_names(app, make, export_dir):
    """Programs read the file by its column names: without translate_headers (the API's
    path) they are COLUMNS, whatever the person's language."""
    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    speaks(app, ann, "de")
    path = write(app, export_dir, ann, project, "csv", translate_headers=False)
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert tuple(header) == COLUMNS
