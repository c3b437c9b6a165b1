"""Part 5: an export of many rows to CSV and XLSX, in a process of its own for its peak RSS.

`python -m bench.export EXPORT_ID` runs the product's export job body and prints JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import time
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


def main(export_id: int) -> None:
    from app.extensions import db
    from app.models import Export, utcnow
    from app.services.export_run import run_export
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
    print(
        json.dumps(
            {
                "status": outcome.as_dict().get("status"),
                "rows": rows,
                "seconds": seconds,
                "rows_per_second": rate(rows, seconds),
                "peak_rss_mb": peak,
                "rss_before_export_mb": baseline,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
