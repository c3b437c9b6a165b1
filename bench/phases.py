"""The bench's parts in order, on one database, one broker and one sink."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import flask_migrate
from sqlalchemy import select

from app import create_app
from app.core.database import utcnow
from app.exports.service import create_export
from app.extensions import db
from app.tasklist.models import Task
from app.tasklist.service import TaskFilters
from bench import data, digests, export, limits, naive, pages, search, stack
from bench.report import fraction, growth_ratio


def prepare_database(app: Any, users: int) -> dict[str, Any]:
    with app.app_context():
        flask_migrate.upgrade(directory=str(stack.ROOT / "migrations"))
        with db.engine.begin() as conn:
            counts = data.generate(conn, users, utcnow())
        db.session.remove()
    return counts


def sample_ids(users: int, count: int) -> list[int]:
    """`count` people spread evenly over all of them."""
    step = max(users // max(count, 1), 1)
    return list(range(1, users + 1, step))[:count]


def run_all(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, sink_port: int, sink_log: Path
) -> dict[str, Any]:
    app = create_app()
    figures: dict[str, Any] = {"users": args.users, "settings": vars(args) | {"json": None}}
    figures["data"] = prepare_database(app, args.users)
    print(f"data: {figures['data']}", flush=True)
    ping = lambda: len(app.extensions["celery"].control.ping(timeout=1.0))  # noqa: E731
    with stack.celery_workers(env, workdir, args.workers, args.concurrency, ping) as workers:
        figures["digests"] = digests.run(app, sink_log, workdir / "stats", workers, args.timeout)
    print(f"digests: {figures['digests']['emails_per_second']:.1f} emails/s", flush=True)
    sample = sample_ids(args.users, args.naive_users)
    mimes, figures["render_limit"] = limits.rendered_sample(app, sample)
    figures["sink_limit"] = limits.sink_rate(sink_port, mimes, args.limit_messages)
    figures["naive"] = naive.send_naively(app, sample)
    ours = figures["digests"]["emails_per_second"]
    figures["ratios"] = {
        "of_sink_limit": fraction(ours, figures["sink_limit"]["emails_per_second"]),
        "of_render_limit": fraction(ours, figures["render_limit"]["emails_per_second"]),
        "speedup_over_naive": fraction(ours, figures["naive"]["emails_per_second"]),
    }
    if not args.no_pages:
        pages.require_wrk()
        with stack.gunicorn(env, workdir) as (base, server):
            figures["pages"] = pages.run(
                app,
                base,
                server,
                page_paths(app),
                args.page_seconds,
                args.connections,
                args.page_rounds,
            )
    if not args.no_export:
        figures["export"] = run_exports(app, env, args.export_rows)
    if not args.no_search:
        figures["search"] = search.run(args.search_tasks)
    return figures


def page_paths(app: Any) -> dict[str, str]:
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).where(Task.project_id == 1).limit(1))
        db.session.remove()
    return {
        "dashboard": "/",
        "task list": "/projects/1/tasks?status=pending&status=in_progress&sort=due&page=2",
        "task detail": f"/task/{task_id}",
    }


def run_exports(app: Any, env: dict[str, str], rows: int) -> dict[str, Any]:
    with app.app_context():
        with db.engine.begin() as conn:
            project_id = data.insert_export_project(conn, 1, rows, utcnow())
        ids = {}
        for fmt in ("csv", "xlsx"):
            made = create_export(
                db.session,
                user_id=1,
                project_id=project_id,
                export_format=fmt,
                filters=TaskFilters(),
            )
            ids[fmt] = made.id
        db.session.commit()
        db.session.remove()
    return {fmt: export.measure(export_id, env) for fmt, export_id in ids.items()}


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024**2, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "postgresql": postgres.strip(),
        "load_average_at_end": os.getloadavg(),
    }


def growth(smaller: dict[str, Any], larger: dict[str, Any]) -> dict[str, Any]:
    found = growth_ratio(
        smaller["digests"]["wall_seconds"],
        larger["digests"]["wall_seconds"],
        smaller["users"],
        larger["users"],
    ) | {"smaller_users": smaller["users"], "larger_users": larger["users"]}
    # CPU per email by side: what each email costs, which time on a shared machine blurs.
    cpu = [run["digests"].get("cpu_ms_per_email") for run in (smaller, larger)]
    if all(cpu):
        found["cpu_per_email_ratio"] = cpu_ratio(*cpu)
    return found


def cpu_ratio(smaller: dict[str, float], larger: dict[str, float]) -> dict[str, float]:
    """The larger run's CPU per email over the smaller's, by side and in all."""
    ratios = {
        side: round(fraction(larger[side], smaller[side]), 3) for side in smaller if side in larger
    }
    ratios["all"] = round(fraction(sum(larger.values()), sum(smaller.values())), 3)
    return ratios
