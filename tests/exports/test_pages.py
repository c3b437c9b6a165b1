"""Exports from the browser: start with the list's filters, watch progress, download, expire."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from app.core.database import utcnow
from app.exports.format import COLUMNS
from app.exports.models import Export, ExportFormat, ExportStatus
from app.extensions import db
from app.tasklist.models import TaskPriority, TaskStatus

pytestmark = pytest.mark.worker


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    return path


@pytest.fixture
def team(make, auth):
    """Ann (in Tokyo) owns a project with Bob; Eve is in no project of theirs. Ann logs in."""
    ann = make.user(email="ann@example.com", name="Ann", timezone="Asia/Tokyo")
    bob = make.user(email="bob@example.com", name="Bob")
    eve = make.user(email="eve@example.com", name="Eve")
    project = make.project(ann, name="Launch Plan", members=(bob,))
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "eve": eve, "project": project}


def wait_until_finished(client, export_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        body = client.get(f"/exports/{export_id}/status").json
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"export {export_id} never finished; last seen {body}")


def start_export(client, project_id, **form):
    response = client.post(f"/projects/{project_id}/tasks/export", data=form)
    assert response.status_code == 302, response.data
    assert response.location.startswith("/exports/")
    return int(response.location.rsplit("/", 1)[1])


def export_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Export))


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def mixed_tasks(make, team):
    """Five tasks in Ann's project; the filter `pending + high, soonest due first` picks three."""
    ann, bob, project = team["ann"], team["bob"], team["project"]
    due = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    picked = [
        make.task(project, ann, title="=1+1", assignee_id=bob, priority=TaskPriority.HIGH,
                  due_at=due + timedelta(days=2)),
        make.task(project, ann, title="Ünïcödé “quotes”, commas", assignee_id=ann,
                  priority=TaskPriority.HIGH, due_at=due),
        make.task(project, ann, title="@mention me", priority=TaskPriority.HIGH),
    ]  # fmt: skip
    make.task(project, ann, title="Done already", priority=TaskPriority.HIGH,
              status=TaskStatus.COMPLETED)  # fmt: skip
    make.task(project, ann, title="Low one", priority=TaskPriority.LOW)
    make.task(project, ann, title="Archived", priority=TaskPriority.HIGH, archived_at=utcnow())
    # Soonest due first, tasks without a due date last.
    return [picked[1], picked[0], picked[2]]


def test_csv_export_uses_the_lists_filters_and_the_worker_writes_it(
    client, team, mixed_tasks, celery_worker, export_dir
):
    export_id = start_export(
        client, team["project"], status="pending", priority="high", sort="due", format="csv"
    )
    page = client.get(f"/exports/{export_id}").data.decode()
    assert "<progress" in page

    body = wait_until_finished(client, export_id)
    assert body["status"] == "done", body
    assert body["percent"] == 100
    assert body["rows_written"] == body["total_rows"] == 3

    response = client.get(body["download_url"])
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and "tickler-launch-plan-" in disposition
    assert disposition.rstrip('"').endswith(".csv")
    rows = read_csv(response.data)
    assert list(rows[0]) == list(COLUMNS)
    assert [int(row["id"]) for row in rows] == mixed_tasks
    first, second, third = rows
    assert first["title"] == "Ünïcödé “quotes”, commas"
    assert first["assignee"] == "Ann" and first["project"] == "Launch Plan"
    assert first["due"] == "2026-12-02T00:00:00+09:00"  # Ann reads dates in Tokyo
    assert second["title"] == "'=1+1" and second["assignee"] == "Bob"
    assert third["title"] == "'@mention me" and third["due"] == "" and third["assignee"] == ""
    assert {row["status"] for row in rows} == {"pending"}
    assert {row["priority"] for row in rows} == {"high"}

    page = client.get(f"/exports/{export_id}").data.decode()
    assert f"/exports/{export_id}/download" in page and "http-equiv" not in page


def test_xlsx_export_keeps_text_as_text_and_dates_as_dates(
    client, team, mixed_tasks, celery_worker, export_dir
):
    export_id = start_export(
        client, team["project"], status="pending", priority="high", format="xlsx"
    )
    assert wait_until_finished(client, export_id)["status"] == "done"
    response = client.get(f"/exports/{export_id}/download")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].rstrip('"').endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert [row[0] for row in rows[1:]] == mixed_tasks
    formula_cell = sheet.cell(row=3, column=2)
    assert formula_cell.value == "=1+1" and formula_cell.data_type == "s"  # text, never a formula
    assert rows[1][6] == datetime(2026, 12, 2, 0, 0)  # a real date, Tokyo wall-clock time
    assert isinstance(rows[1][7], datetime)
    assert rows[3][6] is None


def test_my_tasks_export_covers_what_is_assigned_to_me_across_projects(
    client, make, team, celery_worker, export_dir
):
    ann, bob = team["ann"], team["bob"]
    other = make.project(bob, name="Side", members=(ann,))
    mine = [
        make.task(team["project"], bob, title="Mine here", assignee_id=ann),
        make.task(other, bob, title="Mine there", assignee_id=ann),
    ]
    make.task(team["project"], ann, title="Bob's", assignee_id=bob)
    make.task(other, bob, title="Mine but done", assignee_id=ann, status=TaskStatus.COMPLETED)
    response = client.post(
        "/exports/mine",
        data={"status": ["pending", "in_progress", "blocked"], "sort": "created", "format": "csv"},
    )
    export_id = int(response.location.rsplit("/", 1)[1])
    assert wait_until_finished(client, export_id)["status"] == "done"
    download = client.get(f"/exports/{export_id}/download")
    assert "tickler-my-tasks-" in download.headers["Content-Disposition"]
    rows = read_csv(download.data)
    assert [int(row["id"]) for row in rows] == list(reversed(mine))  # newest first
    assert [row["project"] for row in rows] == ["Side", "Launch Plan"]


def test_outsiders_get_404_on_start_status_page_and_download(
    client, auth, make, team, celery_worker, export_dir
):
    make.task(team["project"], team["ann"], title="Secret")
    export_id = start_export(client, team["project"], format="csv")
    assert wait_until_finished(client, export_id)["status"] == "done"
    auth.logout()
    auth.login("eve@example.com")
    before = export_count(client.application)
    assert (
        client.post(f"/projects/{team['project']}/tasks/export", data={"format": "csv"}).status_code
        == 404
    )
    assert export_count(client.application) == before
    for url in ("", "/status", "/download"):
        assert client.get(f"/exports/{export_id}{url}").status_code == 404
    assert client.post(f"/exports/{export_id}/retry").status_code == 404
    # A fellow member of the project still cannot take Ann's file.
    auth.logout()
    auth.login("bob@example.com")
    assert client.get(f"/exports/{export_id}/download").status_code == 404


def test_removed_member_loses_their_own_export(client, app, auth, make, team, export_dir):
    auth.logout()
    auth.login("bob@example.com")
    export_id = start_export(client, team["project"], format="csv")
    with app.app_context():
        from app.projects.models import Project
        from app.projects.service import remove_member

        remove_member(db.session, db.session.get(Project, team["project"]), team["bob"])
        db.session.commit()
    assert client.get(f"/exports/{export_id}/status").status_code == 404


def test_login_is_required(client, team, auth):
    auth.logout()
    assert client.get("/exports/").status_code == 302
    assert client.post("/exports/mine", data={"format": "csv"}).status_code == 302


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"format": "pdf"}, "Choose CSV or XLSX as the export format."),
        ({}, "Choose CSV or XLSX as the export format."),
        ({"format": "csv", "status": "bogus"}, "unknown filter values bogus"),
        ({"format": "csv", "sort": "random()"}, "unknown filter values random()"),
    ],
)
def test_bad_format_or_filters_get_a_clear_message_and_no_export(client, app, team, form, message):
    response = client.post(
        f"/projects/{team['project']}/tasks/export", data=form, follow_redirects=True
    )
    assert response.status_code == 200
    assert message in response.data.decode()
    assert export_count(app) == 0


def make_export(app, user_id, project_id=None, **fields):
    with app.app_context():
        export = Export(
            user_id=user_id,
            project_id=project_id,
            format=fields.pop("format", ExportFormat.CSV),
            filters={},
            status=fields.pop("status", ExportStatus.QUEUED),
            rows_written=fields.pop("rows_written", 0),
            **fields,
        )
        db.session.add(export)
        db.session.commit()
        return export.id


def test_status_page_shows_progress_and_refreshes_without_javascript(client, app, team):
    export_id = make_export(
        app, team["ann"], team["project"], status=ExportStatus.RUNNING, rows_written=250,
        total_rows=1000,
    )  # fmt: skip
    page = client.get(f"/exports/{export_id}").data.decode()
    assert '<progress max="100" value="25"' in page
    assert "250 of 1000 rows" in page
    assert '<meta http-equiv="refresh"' in page
    assert f'data-export-poll-url="/exports/{export_id}/status"' in page
    body = client.get(f"/exports/{export_id}/status").json
    assert body == {
        "id": export_id,
        "status": "running",
        "label": "Running",
        "rows_written": 250,
        "total_rows": 1000,
        "percent": 25,
        "progress": "250 of 1000 rows",
        "error": None,
        "download_url": None,
    }


def test_an_expired_export_answers_410_with_a_clear_message(client, app, team):
    export_id = make_export(app, team["ann"], team["project"], status=ExportStatus.EXPIRED)
    response = client.get(f"/exports/{export_id}/download")
    assert response.status_code == 410
    assert "no longer available" in response.data.decode()


def test_a_done_export_whose_file_is_missing_answers_410(client, app, team, export_dir):
    export_id = make_export(
        app, team["ann"], status=ExportStatus.DONE, file_path="export-1-gone.csv"
    )
    assert client.get(f"/exports/{export_id}/download").status_code == 410


def test_my_exports_lists_mine_only_in_a_fixed_number_of_queries(
    client, app, make, team, count_queries
):
    other = make.project(team["ann"], name="Other")
    for index in range(3):
        make_export(app, team["ann"], team["project"] if index % 2 else other)
    make_export(app, team["bob"], team["project"])

    def queries_for_page():
        with count_queries() as statements:
            page = client.get("/exports/").data.decode()
        return page, len(statements)

    page, few = queries_for_page()
    assert page.count("/download") == 0 and page.count('href="/exports/') >= 3
    for _ in range(10):
        make_export(app, team["ann"], other, status=ExportStatus.DONE)
    page, many = queries_for_page()
    assert page.count("Download</a>") == 10
    assert many == few


def test_broker_down_marks_the_export_failed_and_offers_a_retry(
    make_app, celery_settings, make, export_dir
):
    from tests.conftest import AuthActions
    from tests.processes import free_port

    dead = {**celery_settings, "broker_url": f"redis://127.0.0.1:{free_port()}/0"}
    app = make_app(CELERY=dead, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    AuthActions(client).login("ann@example.com")
    response = client.post(
        f"/projects/{project}/tasks/export", data={"format": "csv"}, follow_redirects=True
    )
    page = response.data.decode()
    assert "The task queue was not reachable" in page
    assert "Try again" in page
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.status == ExportStatus.FAILED


def test_a_fourth_export_in_progress_is_refused_with_a_message(client, app, team):
    for _ in range(3):
        make_export(app, team["ann"], team["project"], status=ExportStatus.RUNNING)
    response = client.post(
        f"/projects/{team['project']}/tasks/export", data={"format": "csv"}, follow_redirects=True
    )
    assert "You already have 3 exports in progress" in response.data.decode()
    assert export_count(app) == 3


def test_a_project_export_keeps_the_lists_assignee_filter(client, app, team):
    export_id = start_export(client, team["project"], assignee=str(team["bob"]), format="csv")
    with app.app_context():
        assert db.session.get(Export, export_id).filters["assignee_id"] == team["bob"]
