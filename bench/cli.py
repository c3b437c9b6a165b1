"""`make bench`: every figure of issue 8 in one run, as a table and as JSON.

python -m bench [--users N] [--quick] [--sqlite] [--workers W] [--concurrency C] ..."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench import stack
from bench.tables import print_report
from bench.targets import all_targets

SECRET = "bench-secret-key-0123456789abcdef0123456789abcdef"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--users", type=int, default=10_000, help="U, people with ~10 tasks each")
    p.add_argument("--quick", action="store_true", help="a small smoke run (U=200, short loads)")
    p.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    p.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    p.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    p.add_argument("--chunk-size", type=int, default=100, help="DIGEST_CHUNK_SIZE")
    p.add_argument("--naive-users", type=int, default=500, help="people in the naive baseline")
    p.add_argument("--limit-messages", type=int, default=2000, help="messages for sink limit")
    p.add_argument("--page-seconds", type=int, default=5, help="wrk duration per page, a round")
    p.add_argument("--page-rounds", type=int, default=3, help="rounds over all pages")
    p.add_argument("--connections", type=int, default=4, help="wrk connections (2 per core)")
    p.add_argument("--export-rows", type=int, default=100_000)
    p.add_argument("--no-pages", action="store_true")
    p.add_argument("--no-export", action="store_true")
    p.add_argument("--no-search", action="store_true", help="skip the search bench")
    p.add_argument("--search-only", action="store_true", help="only the search bench")
    p.add_argument("--search-tasks", type=int, default=100_000, help="tasks in the search bench")
    p.add_argument("--timeout", type=float, default=3600, help="seconds for the digest run")
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--compare", type=Path, help="a smaller-U run's JSON: report time growth")
    args = p.parse_args(argv)
    if args.quick:
        args.users = min(args.users, 200)
        args.naive_users, args.limit_messages = min(args.naive_users, 30), 200
        args.page_seconds, args.export_rows = 2, min(args.export_rows, 2000)
        args.page_rounds = 1
        args.search_tasks = min(args.search_tasks, 5_000)
    args.naive_users = min(args.naive_users, args.users)
    return args


def configure_environment(database_url: str, broker: str, sink_port: int, workdir: Path) -> dict:
    """The production settings every process of the bench shares."""
    settings = {
        # Production refuses SQLite, rightly; --sqlite runs with the development settings.
        "TICKLER_ENV": "development" if database_url.startswith("sqlite") else "production",
        "TICKLER_DEVSTACK_SETTINGS": "off",
        "SECRET_KEY": SECRET,
        "METRICS_TOKEN": SECRET,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink_port),
        "MAIL_DEFAULT_SENDER": "Tickler <tickler@bench.example>",
        "APP_BASE_URL": "https://tickler.bench.example",
        "EXPORT_DIR": str(workdir / "exports"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    os.environ.update(settings)
    return stack.python_env(**settings)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.search_only:
        return search_only(args, argv)
    workdir = Path(tempfile.mkdtemp(prefix="tickler-bench-"))
    (workdir / "stats").mkdir()
    started = time.time()
    with ExitStack() as stack_:
        broker = stack_.enter_context(stack.redis_server(workdir))
        if args.sqlite:
            database_url = f"sqlite:///{workdir / 'bench.db'}"
        else:
            name = f"tickler_bench_{os.getpid()}"
            database_url = stack_.enter_context(stack.postgres_database(name))
        sink_port, sink_log = stack_.enter_context(stack.smtp_sink(workdir))
        env = configure_environment(database_url, broker, sink_port, workdir)
        env["DIGEST_CHUNK_SIZE"] = os.environ["DIGEST_CHUNK_SIZE"] = str(args.chunk_size)
        env["BENCH_STATS_DIR"] = str(workdir / "stats")
        from bench import phases

        figures = phases.run_all(args, env, workdir, sink_port, sink_log)
    figures["machine"] = phases.machine()
    figures["command"] = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    figures["total_seconds"] = time.time() - started
    if args.compare:
        figures["growth"] = phases.growth(json.loads(args.compare.read_text()), figures)
    figures["targets"] = [t.__dict__ | {"verdict": t.verdict} for t in all_targets(figures)]
    print_report(figures, all_targets(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
        print(f"\nJSON written to {args.json}")
    print(f"(logs of this run in {workdir})")
    return 0


def search_only(args: argparse.Namespace, argv: list[str] | None) -> int:
    """`make bench BENCH_ARGS=--search-only`: the search bench alone (its own database)."""
    from bench import phases, search
    from bench.tables import print_search_report

    figures = {"search": search.run(args.search_tasks)}
    figures["machine"] = phases.machine()
    figures["command"] = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    print_search_report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0
