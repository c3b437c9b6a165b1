"""Part 5: an export of many rows to CSV and XLSX, in a process of its own for its peak RSS,
then its file read back: every row there, every cell as stored (after the peak is taken).

`python -m bench.export EXPORT_ID` runs the product's export job body and prints JSON."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.report import rate


def peak_rss_mb() -> float:
    """This process's own peak resident set (VmHWM; ru_maxrss would carry the parent's over
    fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(export_id: int, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.export", str(export_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def file_rows(path: Path, export_format: str) -> Iterator[tuple[Any, ...]]:
    """The data rows of an export file, read as a CSV reader or a spreadsheet would."""
    if export_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            next(reader)
            yield from (tuple(row) for row in reader)
        return
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        next(rows)
        yield from rows
    finally:
        workbook.close()


def file_problems(path: Path, export_format: str, expected: dict[int, tuple[str, str]]) -> list:
    """Where the file differs from the database: {task id: (title, description)}."""
    problems, seen = [], set()
    for row in file_rows(path, export_format):
        task_id = int(row[0])
        seen.add(task_id)
        if expected.get(task_id) != (row[1], row[9]) and len(problems) < 5:
            problems.append(f"task {task_id}: file has {row[1]!r}, {row[9]!r}")
    missing = expected.keys() - seen
    if missing or len(seen) != len(expected):
        problems.append(f"{len(seen):,} rows in the file, {len(expected):,} tasks")
    return problems


def stored_cells(session: Any, project_id: int) -> dict[int, tuple[str, str]]:
    from sqlalchemy import select

    from app.tasklist.models import Task

    query = select(Task.id, Task.title, Task.description).where(Task.project_id == project_id)
    return {task_id: (title, description) for task_id, title, description in session.execute(query)}


def main(export_id: int) -> None:
    from app.core.database import utcnow
    from app.exports.models import Export
    from app.exports.run import run_export
    from app.extensions import db
    from celery_worker import flask_app as app  # the app exactly as a worker runs exports

    with app.app_context():
        baseline = peak_rss_mb()
        started = time.perf_counter()
        outcome = run_export(
            db.session,
            export_id,
            Path(app.config["EXPORT_DIR"]),
            app.config["EXPORT_BATCH_SIZE"],
            timedelta(hours=1),
            utcnow(),
        )
        seconds = time.perf_counter() - started
        export = db.session.get(Export, export_id)
        rows = export.rows_written
        peak = peak_rss_mb()
        problems = (
            []
            if outcome.status != "done"
            else file_problems(
                Path(app.config["EXPORT_DIR"]) / export.file_path,
                export.format.value,
                stored_cells(db.session, export.project_id),
            )
        )
        if rows != export.total_rows:
            problems.append(f"{rows:,} rows written of {export.total_rows:,}")
    print(
        json.dumps(
            {
                "status": outcome.as_dict().get("status"),
                "rows": rows,
                "seconds": seconds,
                "rows_per_second": rate(rows, seconds),
                "peak_rss_mb": peak,
                "rss_before_export_mb": baseline,
                "file_matches": outcome.status == "done" and not problems,
                "file_problems": problems,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
