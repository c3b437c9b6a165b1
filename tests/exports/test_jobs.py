"""export_tasks_async and cleanup_expired_exports through the real worker, and their rules."""

from __future__ import annotations

import csv
import os
import random
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import insert, select

from app.core.database import utcnow
from app.exports import service as export_rules
from app.exports.jobs import cleanup_expired_exports, export_tasks_async
from app.exports.models import Export, ExportStatus
from app.exports.run import NO_ACCESS_MESSAGE, WRITE_FAILED_MESSAGE, run_export
from app.extensions import db
from app.projects.models import Project
from app.projects.service import remove_member
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.tasklist.service import TaskFilters
from tests.conftest import wait_for_earlier_jobs

pytestmark = pytest.mark.worker

# Enough rows for many batches; `make bench` exports 100,000 (bench/export.py).
ROWS = 3_000
BATCH = 250
BASE_DUE = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
STATUSES = list(TaskStatus)
PRIORITIES = list(TaskPriority)


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    return path


def new_export(app, user_id, project_id, export_format="csv", filters=None):
    with app.app_context():
        export = export_rules.create_export(
            db.session,
            user_id=user_id,
            project_id=project_id,
            export_format=export_format,
            filters=filters or TaskFilters(),
        )
        db.session.commit()
        return export.id


def expected_title(i: int) -> str:
    # Every 997th title is a formula a spreadsheet would run.
    return f'=HYPERLINK("http://x.example/{i}")' if i % 997 == 0 else f"Task {i:06d}"


def bulk_insert_tasks(app, project_id, creator_id, assignee_id, count):
    """Insert `count` tasks with executemany, 10,000 at a time; task i is due i minutes on."""
    now = utcnow()
    with app.app_context():
        for start in range(0, count, 10_000):
            db.session.execute(
                insert(Task),
                [
                    {
                        "title": expected_title(i),
                        "description": f"Line one of {i}\nline two, with a comma",
                        "project_id": project_id,
                        "creator_id": creator_id,
                        "assignee_id": assignee_id if i % 2 else None,
                        "status": STATUSES[i % 4],
                        "priority": PRIORITIES[i % 4],
                        "due_at": BASE_DUE + timedelta(minutes=i),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(start, min(start + 10_000, count))
                ],
            )
        db.session.commit()
        return sorted(db.session.scalars(db.select(Task.id).where(Task.project_id == project_id)))


def wait_for_export(app, export_id, timeout=600.0):
    """Poll the row like the status page does; returns the final row and the progress seen."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            export = db.session.get(Export, export_id)
            db.session.expunge(export)
        seen.append(export.rows_written)
        if export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return export, seen
        time.sleep(0.2)
    raise AssertionError(f"export {export_id} never finished; rows seen {seen[-5:]}")


def peak_bytes_of_loading_every_row(app, project_id) -> int:
    """What holding every task of the project at once costs, the way an export must not."""
    tracemalloc.start()
    try:
        with app.app_context():
            rows = db.session.scalars(select(Task).where(Task.project_id == project_id)).all()
            _, peak = tracemalloc.get_traced_memory()
            assert len(rows) == ROWS
            db.session.expunge_all()
    finally:
        tracemalloc.stop()
    return peak


def test_exports_stream_rows_in_batches_and_match_cell_by_cell(
    app, make, celery_worker, export_dir, count_queries, monkeypatch
):
    """The shape that keeps memory bounded at any size: rows read and written batch by batch,
    progress saved per batch, never a list of every row. `make bench` runs 100,000 rows."""
    monkeypatch.setitem(app.config, "EXPORT_BATCH_SIZE", BATCH)
    wait_for_earlier_jobs(app)  # the statements counted are this export's alone
    ann = make.user(email="ann@example.com", name="Ann", timezone="America/New_York")
    project = make.project(ann, name="Big")
    ids = bulk_insert_tasks(app, project, ann, ann, ROWS)  # once, for both formats
    samples = {0, 1, 996, 997, ROWS // 2, ROWS - 1, *random.Random(5).sample(range(ROWS), 50)}
    every_row_at_once = peak_bytes_of_loading_every_row(app, project)
    for export_format in ("csv", "xlsx"):
        export_id = new_export(app, ann, project, export_format)

        tracemalloc.start()
        try:
            with count_queries(all_threads=True) as statements:
                export_tasks_async.delay(export_id)
                export, _ = wait_for_export(app, export_id)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

        assert export.status == ExportStatus.DONE, export.error
        assert export.rows_written == export.total_rows == ROWS
        batches = ROWS // BATCH
        progress = [s for s in statements if s.startswith("UPDATE exports SET rows_written")]
        task_reads = [s for s in statements if "FROM tasks" in s]
        assert len(progress) == batches, "progress is saved once per batch"
        assert len(task_reads) == 1 + batches, "the ids in order, then one query per batch"
        assert peak < every_row_at_once / 2, (export_format, peak, every_row_at_once)

        path = export_dir / export.file_path
        assert export.size_bytes == path.stat().st_size
        count, sampled = sample_rows(path, export_format, samples)
        assert count == ROWS, export_format
        # The file follows the task list's order: open work by due date, then completed tasks.
        in_file = order_in_task_list(ROWS)
        for position in sorted(samples):
            i = in_file[position]
            check_row(sampled[position], i, ids[i], export_format)


def order_in_task_list(count: int) -> list[int]:
    """Which inserted task (by i) stands at each position of the exported file."""
    return sorted(range(count), key=lambda i: (STATUSES[i % 4] == TaskStatus.COMPLETED, i))


def data_rows(path, export_format) -> Iterator[tuple]:
    """The file's rows after the header, read as a spreadsheet or CSV reader would."""
    if export_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            assert tuple(next(reader))[0] == "id"
            yield from (tuple(row) for row in reader)
        return
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        iterator = workbook.active.iter_rows(values_only=True)
        assert next(iterator)[0] == "id"
        yield from iterator
    finally:
        workbook.close()


def sample_rows(path, export_format, wanted: set[int]) -> tuple[int, dict[int, tuple]]:
    """How many data rows the file holds, and the rows at the wanted positions."""
    count, found = 0, {}
    for count, row in enumerate(data_rows(path, export_format), start=1):
        if count - 1 in wanted:
            found[count - 1] = row
    return count, found


def check_row(row: tuple, i: int, task_id: int, export_format: str) -> None:
    due_local = (BASE_DUE + timedelta(minutes=i)).astimezone(ZoneInfo("America/New_York"))
    title = expected_title(i)
    if export_format == "csv":
        assert row[0] == str(task_id)
        assert row[1] == ("'" + title if title.startswith("=") else title)
        assert row[5] == ("Ann" if i % 2 else "")
        assert row[6] == due_local.isoformat()
        assert row[8] == ""
    else:
        assert row[0] == task_id
        assert row[1] == title
        assert row[5] == ("Ann" if i % 2 else None)
        assert row[6] == due_local.replace(tzinfo=None)
        assert row[8] is None
    assert row[2] == STATUSES[i % 4].value
    assert row[3] == PRIORITIES[i % 4].value
    assert row[4] == "Big"
    assert row[9] == f"Line one of {i}\nline two, with a comma"


def test_progress_is_saved_once_per_batch_not_per_row(app, make, export_dir, count_queries):
    ann = make.user()
    project = make.project(ann)
    bulk_insert_tasks(app, project, ann, ann, 25)
    export_id = new_export(app, ann, project)
    wait_for_earlier_jobs(app)  # a worker's statements would be counted too
    with count_queries() as statements, app.app_context():
        outcome = run_export(db.session, export_id, export_dir, 10, timedelta(hours=1), utcnow())
    assert outcome.status == "done" and outcome.rows_written == 25
    progress = [s for s in statements if s.startswith("UPDATE exports SET rows_written")]
    task_reads = [s for s in statements if "FROM tasks" in s]
    assert len(progress) == 3  # batches of 10, 10 and 5
    assert len(task_reads) == 1 + 3  # the ids in order, then one query per batch


def test_a_huge_batch_setting_still_exports(app, make, export_dir):
    ann = make.user()
    project = make.project(ann)
    bulk_insert_tasks(app, project, ann, ann, 3)
    export_id = new_export(app, ann, project)
    with app.app_context():
        outcome = run_export(
            db.session, export_id, export_dir, 1_000_000, timedelta(hours=1), utcnow()
        )
    assert outcome.status == "done" and outcome.rows_written == 3


def test_the_worker_exports_nothing_for_someone_no_longer_in_the_project(
    app, make, celery_worker, export_dir
):
    ann, bob = make.user(), make.user()
    project = make.project(ann, members=(bob,))
    make.task(project, ann, title="Secret plan")
    export_id = new_export(app, bob, project)
    with app.app_context():
        remove_member(db.session, db.session.get(Project, project), bob)
        db.session.commit()
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "failed"
    export = make.get(Export, export_id)
    assert export.error == NO_ACCESS_MESSAGE and export.file_path is None
    assert not export_dir.exists() or not any(export_dir.iterdir())


def test_a_second_run_of_the_same_export_does_nothing(app, make, celery_worker, export_dir):
    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    export_id = new_export(app, ann, project)
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "done"
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "skipped"
    assert len(list(export_dir.iterdir())) == 1


def test_a_write_failure_marks_the_export_failed_and_leaves_no_file(
    app, make, tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    export_id = new_export(app, ann, project)
    with app.app_context():
        outcome = run_export(db.session, export_id, blocker, 10, timedelta(hours=1), utcnow())
    assert outcome.status == "failed"
    assert make.get(Export, export_id).error == WRITE_FAILED_MESSAGE


def test_cleanup_deletes_expired_files_and_keeps_fresh_ones(app, make, celery_worker, export_dir):
    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    old_id, fresh_id = new_export(app, ann, project), new_export(app, ann, project)
    for export_id in (old_id, fresh_id):
        export_tasks_async.delay(export_id).get(timeout=30)
    stalled_id = new_export(app, ann, project)
    with app.app_context():
        db.session.get(Export, old_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.get(Export, stalled_id).created_at = utcnow() - timedelta(days=2)
        db.session.commit()
    old_file = export_dir / make.get(Export, old_id).file_path
    fresh_file = export_dir / make.get(Export, fresh_id).file_path
    for made in (old_file, fresh_file):  # written now by the test's clock, whatever the date
        os.utime(made, (time.time(), time.time()))

    orphan = export_dir / "export-999-0123456789abcdef.csv"  # its project was deleted
    partial = export_dir / ".export-998-0123456789abcdef.xlsx.part"  # its worker died
    for leftover in (orphan, partial):
        leftover.write_text("x")
        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(leftover, (two_days_ago, two_days_ago))
    unrelated = export_dir / "README"
    unrelated.write_text("keep")

    counts = cleanup_expired_exports.delay().get(timeout=30)
    assert counts == {"expired": 1, "stalled": 1, "swept": 2}
    assert not orphan.exists() and not partial.exists() and unrelated.exists()
    assert not old_file.exists() and fresh_file.exists()
    old = make.get(Export, old_id)
    assert old.status == ExportStatus.EXPIRED and old.file_path is None
    assert make.get(Export, fresh_id).status == ExportStatus.DONE
    assert make.get(Export, stalled_id).status == ExportStatus.FAILED
    assert cleanup_expired_exports.delay().get(timeout=30) == {
        "expired": 0,
        "stalled": 0,
        "swept": 0,
    }


def test_tampered_filters_fail_the_export_with_a_clear_message(app, make, export_dir):
    ann = make.user()
    project = make.project(ann)
    export_id = new_export(app, ann, project)
    with app.app_context():
        db.session.get(Export, export_id).filters = {"statuses": ["nope"]}
        db.session.commit()
        outcome = run_export(db.session, export_id, export_dir, 10, timedelta(hours=1), utcnow())
    assert outcome.status == "failed"
    assert make.get(Export, export_id).error == "The export's filters are not valid."
