"""Part 1: the three digest jobs for everyone, through real workers, timed to the last accept."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.core.email.models import Delivery, DeliveryStatus
from app.extensions import db
from bench.report import exactly_once, percentile, rate
from bench.sink import read_log
from bench.stack import Process, cpu_ticks, peak_rss_kb, pids_named, pids_running

JOBS = (
    "app.tasks.task_management.send_task_reminders",
    "app.tasks.task_management.fetch_and_print_overdue_tasks",
    "app.tasks.task_management.send_weekly_summary_email",
)
CHUNK_JOB = "app.tasks.notifications.send_digest_chunk"
UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)


def read_stats(stats_dir: Path) -> list[dict[str, Any]]:
    """The lines bench/worker_app.py wrote: one per finished job."""
    lines = []
    for path in sorted(stats_dir.glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line]
    return lines


def ledger_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        ).all()
        db.session.remove()
    return {status.value: count for status, count in rows}


def sent_message_ids(app: Flask) -> list[str]:
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Delivery.message_id).where(Delivery.status == DeliveryStatus.SENT)
            )
        )
        db.session.remove()
    return ids


def finished_chunks(stats_dir: Path) -> int:
    """Chunk jobs that ended (succeeded or failed for good; a retry is not an end), read from
    the workers' stats lines as text: cheap, since it runs four times a second."""
    done = 0
    for path in stats_dir.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if CHUNK_JOB in line and ('"state": "SUCCESS"' in line or '"state": "FAILURE"' in line):
                done += 1
    return done


def wait_for_chunks(stats_dir: Path, expected: int, timeout: float) -> None:
    """Until every queued chunk has ended. Not by asking PostgreSQL: a count over the ledger,
    four times a second, scans a table that grows with U while the run it measures is using
    the same two cores, and so made the larger run slower per person by itself."""
    deadline = time.monotonic() + timeout
    while finished_chunks(stats_dir) < expected:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{finished_chunks(stats_dir)} of {expected} chunks ended")
        time.sleep(0.25)


def wait_until_settled(app: Flask, expected: int, timeout: float) -> dict[str, int]:
    """Poll the ledger until every planned delivery is settled (or the time is up)."""
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = ledger_counts(app)
        settled = sum(n for s, n in counts.items() if s not in {u.value for u in UNSETTLED})
        unsettled = sum(counts.get(u.value, 0) for u in UNSETTLED)
        if settled >= expected and unsettled == 0:
            return counts
        time.sleep(0.25)
    raise TimeoutError(f"digests not settled after {timeout:.0f} s: {counts}, want {expected}")


def cpu_sides(workers: list[Process]) -> dict[str, list[int]]:
    """The processes whose CPU a digest run spends, by side."""
    return {
        "workers": [pid for w in workers for pid in w.group_pids()],
        "postgresql": pids_named("postgres"),
        "redis": pids_named("redis-server"),
        "sink": pids_running("bench.sink"),
    }


def cpu_ms_per_email(
    before: dict[str, int], workers: list[Process], emails: int
) -> dict[str, float]:
    """Where the run's CPU went, per email accepted: a side whose share grows with U is what
    makes the bigger run slower per person."""
    after = {side: cpu_ticks(pids) for side, pids in cpu_sides(workers).items()}
    per_tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return {side: (after[side] - before[side]) * per_tick_ms / max(emails, 1) for side in after}


def drift(chunks: list[dict[str, Any]]) -> dict[str, float]:
    """Median chunk seconds in the first and the last tenth of the run, by finishing time."""
    ordered = sorted(chunks, key=lambda s: s["finished"])
    tenth = max(len(ordered) // 10, 1)
    return {
        "first_tenth": percentile([s["seconds"] for s in ordered[:tenth]], 0.50),
        "last_tenth": percentile([s["seconds"] for s in ordered[-tenth:]], 0.50),
    }


def run(
    app: Flask, sink_log: Path, stats_dir: Path, workers: list[Process], timeout: float
) -> dict[str, Any]:
    celery_app = app.extensions["celery"]
    cpu_before = {side: cpu_ticks(pids) for side, pids in cpu_sides(workers).items()}
    started = time.time()
    planned = [celery_app.send_task(name, kwargs={"scheduled": False}) for name in JOBS]
    results = [job.get(timeout=timeout) for job in planned]
    expected = sum(result["recipients"] for result in results)
    wait_for_chunks(stats_dir, sum(result["chunks"] for result in results), timeout)
    counts = wait_until_settled(app, expected, timeout)
    accepted = read_log(sink_log)
    cpu = cpu_ms_per_email(cpu_before, workers, len(accepted))
    last = max((row[0] for row in accepted), default=started)
    wall = last - started
    check = exactly_once([row[2] for row in accepted], sent_message_ids(app))
    stats = read_stats(stats_dir)
    chunks = [s for s in stats if s["name"] == CHUNK_JOB]
    planners = [s for s in stats if s["name"] in JOBS]
    chunk_seconds = [s["seconds"] for s in chunks]
    chunk_statements = [s["statements"] for s in chunks]
    every_engine = sum(
        max(s["process_statements_so_far"] for s in stats if s["pid"] == pid)
        for pid in {s["pid"] for s in stats}
    )
    job_statements = sum(s["statements"] for s in stats)
    peaks = peak_rss_kb([pid for w in workers for pid in w.group_pids()])
    return {
        "recipients_planned": expected,
        "emails_accepted": len(accepted),
        "mean_message_bytes": sum(row[3] for row in accepted) / len(accepted) if accepted else 0,
        "wall_seconds": wall,
        "emails_per_second": rate(len(accepted), wall),
        "chunks": len(chunks),
        "sql_statements_run": job_statements,
        "sql_statements_run_with_task_tracking": every_engine,
        "task_tracking_statements_per_job": (every_engine - job_statements) / max(len(stats), 1),
        "sql_statements_per_planning_job": {
            s["name"].rsplit(".", 1)[1]: s["statements"] for s in planners
        },
        "sql_statements_per_chunk_max": max(chunk_statements, default=0),
        "sql_statements_per_chunk_min": min(chunk_statements, default=0),
        "chunk_p50_seconds": percentile(chunk_seconds, 0.50),
        "chunk_p95_seconds": percentile(chunk_seconds, 0.95),
        "chunk_p50_drift_seconds": drift(chunks),
        "cpu_ms_per_email": cpu,
        "planning_seconds": {s["name"].rsplit(".", 1)[1]: s["seconds"] for s in planners},
        "worker_peak_rss_mb": max(peaks.values(), default=0) / 1024,
        "worker_processes": len(peaks),
        "ledger": counts,
        "exactly_once": check,
    }
