"""The product's Celery app (celery_worker.py), plus a count of each job's SQL statements.

Workers started with `-A bench.worker_app` write one JSON line per finished job to
$BENCH_STATS_DIR/<pid>.jsonl: job name, its statements on the app's engine, the process's
statements on every engine so far (task tracking has its own), seconds, peak RSS."""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Any

from celery.signals import task_postrun, task_prerun
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db
from celery_worker import celery, flask_app

__all__ = ["celery"]

_current: dict[str, Any] = {"statements": 0, "started": 0.0, "all_engines": 0}

with flask_app.app_context():
    _engine = db.engine


@event.listens_for(Engine, "before_cursor_execute")
def _count(conn: Any, *_args: Any) -> None:
    # Every engine, task tracking's own included; the job's session uses db.engine.
    _current["all_engines"] += 1
    if conn.engine is _engine:
        _current["statements"] += 1


@task_prerun.connect
def _started(**_kwargs: Any) -> None:
    _current.update(statements=0, started=time.perf_counter())


@task_postrun.connect
def _finished(task: Any = None, state: str | None = None, **_kwargs: Any) -> None:
    line = {
        "name": task.name if task else "?",
        "state": state,
        "statements": _current["statements"],
        "process_statements_so_far": _current["all_engines"],
        "pid": os.getpid(),
        "seconds": time.perf_counter() - _current["started"],
        "finished": time.time(),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    stats_dir = Path(os.environ["BENCH_STATS_DIR"])
    with open(stats_dir / f"{os.getpid()}.jsonl", "a") as out:
        out.write(json.dumps(line) + "\n")
