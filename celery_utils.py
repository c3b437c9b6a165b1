"""The admin's command line for Celery tasks: list them, show the beat schedule, run one by hand."""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from celery import Celery
    from flask import Flask

# The app is imported inside the commands, not here, so `--help` answers at once.
TASK_PREFIX = "app.tasks."
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Celery retries an unreachable broker for ever when publishing and its Redis result store
# twenty times; a person at a terminal should hear within seconds that Redis is down.
CONNECT_TIMEOUT_SECONDS = 3
QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
EPILOG = """examples:
  python celery_utils.py --list-tasks
  python celery_utils.py --schedule
  python celery_utils.py --run-task app.tasks.task_management.generate_task_report
  python celery_utils.py --run-task update_task_status --args '[12, "completed"]'
  python celery_utils.py --run-task send_task_reminders --async"""


class UsageError(Exception):
    """A mistake on the command line; the message says how to put it right."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python celery_utils.py",
        description="List, schedule and run Tickler's Celery tasks by hand.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--list-tasks", action="store_true", help="every task, queue, schedule")
    action.add_argument("--schedule", action="store_true", help="the beat schedule")
    action.add_argument(
        "--run-task",
        metavar="NAME",
        help="run a task now: full name, short name (generate_task_report) or beat job name",
    )
    parser.add_argument(
        "--args",
        metavar="JSON",
        help="arguments for --run-task: a JSON list (positional) or object (keyword)",
    )
    parser.add_argument(
        "--async",
        dest="queue_it",
        action="store_true",
        help="queue the task for a worker instead of running it in this process",
    )
    parser.add_argument("--traceback", action="store_true", help="show the full error")
    return parser


def parse_task_args(text: str | None) -> tuple[list[Any], dict[str, Any]]:
    """--args as (positional, keyword): a JSON list is the one, a JSON object the other."""
    if text is None:
        return [], {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"--args is not valid JSON ({error.msg} at character {error.pos}): {text!r}\n"
            "Give a list for positional arguments, e.g. --args '[12, \"completed\"]', "
            "or an object for keyword arguments, e.g. --args '{\"task_id\": 12}'."
        ) from None
    if isinstance(value, list):
        return value, {}
    if isinstance(value, dict):
        return [], value
    raise UsageError(f"--args must be a JSON list or object, not {type(value).__name__}: {text}")


def load_app() -> Flask:
    from app import create_app

    return create_app()


def task_names(celery: Celery) -> list[str]:
    """Every task the app registers under app.tasks, without Celery's own."""
    celery.loader.import_default_modules()
    return sorted(name for name in celery.tasks if name.startswith(TASK_PREFIX))


def queue_for(name: str, default: str = "default") -> str:
    from app.task_catalog import TASK_ROUTING

    return TASK_ROUTING.get(name, (default, "normal"))[0]


def resolve_task(name: str, names: Sequence[str]) -> str:
    """The registered name for a full name, a short function name or a beat job name."""
    from app.schedule import PERIODIC_JOBS

    if name in names:
        return name
    by_short: dict[str, list[str]] = {}
    for full in names:
        by_short.setdefault(full.rsplit(".", 1)[-1], []).append(full)
    by_job = {job.name: job.task for job in PERIODIC_JOBS}
    if name in by_job:
        return by_job[name]
    found = by_short.get(name, [])
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{name!r} is ambiguous; give the full name: {', '.join(found)}")
    candidates = [*names, *by_short, *by_job]
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    hint = f"Did you mean: {', '.join(close)}?" if close else f"Known: {', '.join(by_short)}."
    raise UsageError(
        f"No task called {name!r}. {hint}\nSee them all with: python celery_utils.py --list-tasks"
    )


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def scheduled_jobs(flask_app: Flask) -> list[Any]:
    """The beat jobs (app.operations.job_runs.JobView), next runs in the Celery timezone."""
    from dataclasses import replace

    from app.core.database import utcnow
    from app.core.timezones import to_local
    from app.operations.job_runs import job_overview

    timezone = flask_app.config["CELERY"]["timezone"]
    views = job_overview(dict(flask_app.config), {}, utcnow())
    return [
        replace(view, next_run=to_local(view.next_run, timezone) if view.next_run else None)
        for view in views
    ]


def list_tasks(flask_app: Flask) -> int:
    from app.core.plurals import plural

    celery = flask_app.extensions["celery"]
    timezone = flask_app.config["CELERY"]["timezone"]
    jobs = {job.task: job for job in scheduled_jobs(flask_app)}
    rows = []
    for name in task_names(celery):
        job = jobs.get(name)
        when = ["on demand", "", "", ""]
        if job:
            when = [job.schedule, job.crontab, f"{job.next_run:%a %Y-%m-%d %H:%M}", job.name]
        rows.append([name, queue_for(name), *when])
    headers = ["TASK", "QUEUE", "SCHEDULE", "CRONTAB", f"NEXT RUN ({timezone})", "BEAT JOB"]
    count = plural(len(rows), "task")
    print(f"{count}; crontabs and next runs are in CELERY_TIMEZONE={timezone}.\n")
    print(format_table(headers, rows))
    print(
        "\nThe digest jobs tick every 15 minutes and email each person at their own hour; "
        "--schedule says when."
    )
    return EXIT_OK


def show_schedule(flask_app: Flask) -> int:
    timezone = flask_app.config["CELERY"]["timezone"]
    overrides = flask_app.config.get("CELERY_SCHEDULE_OVERRIDES") or {}
    print(f"Beat schedule; crontabs and next runs are in CELERY_TIMEZONE={timezone}.")
    for job in scheduled_jobs(flask_app):
        source = "SCHEDULE_" + job.name.upper().replace("-", "_")
        note = f"   (set by {source})" if job.name in overrides else ""
        print(f"\n{job.name}")
        print(f"  task      {job.task}")
        print(f"  runs      {job.schedule}   crontab {job.crontab}{note}")
        print(f"  next run  {job.next_run:%a %Y-%m-%d %H:%M} {timezone}")
        print(f"  what      {job.description}")
    return EXIT_OK


def check_arguments(task: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Refuse arguments the task's signature cannot take, before anything runs."""
    try:
        task.__header__(*args, **kwargs)
    except TypeError as error:
        raise UsageError(f"{task.name} cannot take --args {args or kwargs}: {error}") from None


def run_inline(celery: Celery, name: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """Run the task in this process and print its result as JSON."""
    # Eager mode, in this process only: the jobs fan their emails out with .delay(), and eager
    # runs those sub-tasks inline too, so the email goes out even with no worker running, and
    # a sub-task's error (or request to retry later) comes back here instead of vanishing
    # into a worker log.
    celery.conf.task_always_eager = True
    celery.conf.task_eager_propagates = True
    # The job's own log lines say what it did (who was emailed); Celery's repeat the result.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("celery").setLevel(logging.WARNING)
    print(f"Running {name} in this process...", file=sys.stderr)
    value = celery.tasks[name].apply(args=tuple(args), kwargs=kwargs).get()
    print(json.dumps(value, indent=2, sort_keys=True, default=str))
    return EXIT_OK


def limit_connection_waits(celery: Celery) -> None:
    """Fail within seconds when Redis is down, in this process only."""
    transport = dict(celery.conf.result_backend_transport_options or {})
    celery.conf.update(
        broker_connection_timeout=CONNECT_TIMEOUT_SECONDS,
        broker_connection_max_retries=1,
        task_publish_retry_policy=QUICK_RETRY,
        redis_socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        result_backend_transport_options={**transport, "retry_policy": QUICK_RETRY},
    )


def masked_url(url: str | None) -> str:
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url or "(not set)", mask="****")


def queue_on_broker(celery: Celery, name: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """Send the task to the broker for a worker and print its id."""
    limit_connection_waits(celery)
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        result = celery.send_task(name, args=args, kwargs=kwargs)
    except Exception as error:  # kombu, redis-py and Celery each raise their own kind
        print(
            f"Cannot reach the broker at {masked_url(celery.conf.broker_url)}: {error}\n"
            "Start Redis (redis-server, then check with redis-cli ping) "
            "or check CELERY_BROKER_URL.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    queue = queue_for(name)
    print(f"Queued {name}")
    print(f"  task id  {result.id}")
    print(f"  queue    {queue}")
    print(f"A worker consuming '{queue}' runs it: python -m celery -A celery_worker worker")
    return EXIT_OK


def run_task(flask_app: Flask, options: argparse.Namespace) -> int:
    args, kwargs = parse_task_args(options.args)
    celery = flask_app.extensions["celery"]
    name = resolve_task(options.run_task, task_names(celery))
    check_arguments(celery.tasks[name], args, kwargs)
    if options.queue_it:
        return queue_on_broker(celery, name, args, kwargs)
    try:
        return run_inline(celery, name, args, kwargs)
    except Exception as error:
        if options.traceback:
            traceback.print_exc()
        print(explain_failure(name, error), file=sys.stderr)
        return EXIT_FAILED


def explain_failure(name: str, error: Exception) -> str:
    from celery.exceptions import Retry

    if isinstance(error, Retry):
        # A sending sub-task met a temporary SMTP failure and asked to be retried later;
        # nothing retries in this process, and its deliveries stay marked "retrying".
        return (
            f"{name} failed: some emails could not be sent; the SMTP server was unreachable "
            "or said to try later.\nThey stay marked retrying, and a run 30 minutes or more "
            "from now tries them again.\nCheck the mail settings with: "
            "python test_email.py you@example.com"
        )
    return f"{name} failed: {type(error).__name__}: {error}"


def dispatch(options: argparse.Namespace) -> int:
    if options.run_task:
        parse_task_args(options.args)  # a typo in --args is reported before the app loads
    from app import ConfigError

    try:
        flask_app = load_app()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    if options.list_tasks:
        return list_tasks(flask_app)
    if options.schedule:
        return show_schedule(flask_app)
    return run_task(flask_app, options)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if (options.args is not None or options.queue_it) and not options.run_task:
        parser.error("--args and --async go with --run-task NAME")
    if not (options.list_tasks or options.schedule or options.run_task):
        parser.print_help()
        return EXIT_OK
    try:
        return dispatch(options)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
