"""The admin's command line for Celery tasks: list them, show the beat schedule, run one by hand.

`python celery_utils.py` runs it. What it prints once the app is loaded is in the terminal's
language (LC_ALL, LC_MESSAGES or LANG: app/operations/terminal_language.py); `--help` and a
mistake found before the app loads (a bad --args) answer at once, in English."""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import gettext, ngettext

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
            gettext(
                "--args is not valid JSON (%(problem)s at character %(position)s): %(text)s\n"
                "Give a list for positional arguments, e.g. --args '[12, \"completed\"]', "
                "or an object for keyword arguments, e.g. --args '{\"task_id\": 12}'.",
                problem=error.msg,
                position=error.pos,
                text=repr(text),
            )
        ) from None
    if isinstance(value, list):
        return value, {}
    if isinstance(value, dict):
        return [], value
    raise UsageError(
        gettext(
            "--args must be a JSON list or object, not %(kind)s: %(text)s",
            kind=type(value).__name__,
            text=text,
        )
    )


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
        raise UsageError(
            gettext(
                "%(name)s is ambiguous; give the full name: %(names)s",
                name=repr(name),
                names=", ".join(found),
            )
        )
    candidates = [*names, *by_short, *by_job]
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    if close:
        message = gettext(
            "No task called %(name)s. Did you mean: %(names)s?\n"
            "See them all with: python celery_utils.py --list-tasks",
            name=repr(name),
            names=", ".join(close),
        )
    else:
        message = gettext(
            "No task called %(name)s. Known: %(names)s.\n"
            "See them all with: python celery_utils.py --list-tasks",
            name=repr(name),
            names=", ".join(by_short),
        )
    raise UsageError(message)


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(display_width(str(cell)) for cell in column)
        for column in zip(headers, *rows, strict=True)
    ]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(pad(str(cell), width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def format_next_run(moment: Any) -> str:
    """'Mon 2026-12-07 08:00' ('Mo. 2026-12-07 08:00', '月 2026-12-07 08:00')."""
    from app.core.i18n import DEFAULT_LANGUAGE, current_language, format_weekday

    if current_language() == DEFAULT_LANGUAGE:
        return f"{moment:%a %Y-%m-%d %H:%M}"
    return f"{format_weekday(moment)} {moment:%Y-%m-%d %H:%M}"


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
    celery = flask_app.extensions["celery"]
    timezone = flask_app.config["CELERY"]["timezone"]
    jobs = {job.task: job for job in scheduled_jobs(flask_app)}
    rows = []
    for name in task_names(celery):
        job = jobs.get(name)
        when = [gettext("on demand"), "", "", ""]
        if job:
            when = [job.schedule, job.crontab, format_next_run(job.next_run), job.name]
        rows.append([name, queue_for(name), *when])
    headers = [
        gettext("TASK"),
        gettext("QUEUE"),
        gettext("SCHEDULE"),
        gettext("CRONTAB"),
        gettext("NEXT RUN (%(timezone)s)", timezone=timezone),
        gettext("BEAT JOB"),
    ]
    print(
        ngettext(
            "%(num)d task; crontabs and next runs are in CELERY_TIMEZONE=%(timezone)s.",
            "%(num)d tasks; crontabs and next runs are in CELERY_TIMEZONE=%(timezone)s.",
            len(rows),
            timezone=timezone,
        )
        + "\n"
    )
    print(format_table(headers, rows))
    print(
        "\n"
        + gettext(
            "The digest jobs tick every 15 minutes and email each person at their own hour; "
            "--schedule says when."
        )
    )
    return EXIT_OK


def show_schedule(flask_app: Flask) -> int:
    timezone = flask_app.config["CELERY"]["timezone"]
    overrides = flask_app.config.get("CELERY_SCHEDULE_OVERRIDES") or {}
    print(
        gettext(
            "Beat schedule; crontabs and next runs are in CELERY_TIMEZONE=%(timezone)s.",
            timezone=timezone,
        )
    )
    # Each fact's name, in a column as wide as the longest (ten columns in English).
    names = {
        "task": gettext("task"),
        "runs": gettext("runs"),
        "next": gettext("next run"),
        "what": gettext("what"),
    }
    width = max(8, *(display_width(name) for name in names.values())) + 2
    for job in scheduled_jobs(flask_app):
        source = "SCHEDULE_" + job.name.upper().replace("-", "_")
        note = (
            "   " + gettext("(set by %(setting)s)", setting=source) if job.name in overrides else ""
        )
        runs = gettext(
            "%(schedule)s   crontab %(crontab)s", schedule=job.schedule, crontab=job.crontab
        )
        print(f"\n{job.name}")
        print(f"  {pad(names['task'], width)}{job.task}")
        print(f"  {pad(names['runs'], width)}{runs}{note}")
        print(f"  {pad(names['next'], width)}{format_next_run(job.next_run)} {timezone}")
        print(f"  {pad(names['what'], width)}{job.description}")
    return EXIT_OK


def check_arguments(task: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Refuse arguments the task's signature cannot take, before anything runs."""
    try:
        task.__header__(*args, **kwargs)
    except TypeError as error:
        raise UsageError(
            gettext(
                "%(task)s cannot take --args %(arguments)s: %(error)s",
                task=task.name,
                arguments=args or kwargs,
                error=error,
            )
        ) from None


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
    print(gettext("Running %(name)s in this process...", name=name), file=sys.stderr)
    from app.core.i18n import DEFAULT_LANGUAGE, in_language

    # The job itself runs as on a worker, in English; its emails take each reader's language
    # (and the daily report's note, read here, the terminal's: app/digests/jobs.py).
    with in_language(DEFAULT_LANGUAGE):
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

    return maybe_sanitize_url(url or gettext("(not set)"), mask="****")


def queue_on_broker(celery: Celery, name: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """Send the task to the broker for a worker and print its id."""
    limit_connection_waits(celery)
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        result = celery.send_task(name, args=args, kwargs=kwargs)
    except Exception as error:  # kombu, redis-py and Celery each raise their own kind
        print(
            gettext(
                "Cannot reach the broker at %(url)s: %(error)s\n"
                "Start Redis (redis-server, then check with redis-cli ping) "
                "or check CELERY_BROKER_URL.",
                url=masked_url(celery.conf.broker_url),
                error=error,
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    queue = queue_for(name)
    labels = {"id": gettext("task id"), "queue": gettext("queue")}
    width = max(7, *(display_width(label) for label in labels.values())) + 2
    print(gettext("Queued %(name)s", name=name))
    print(f"  {pad(labels['id'], width)}{result.id}")
    print(f"  {pad(labels['queue'], width)}{queue}")
    print(
        gettext(
            "A worker consuming '%(queue)s' runs it: python -m celery -A celery_worker worker",
            queue=queue,
        )
    )
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
        return gettext(
            "%(name)s failed: some emails could not be sent; the SMTP server was unreachable "
            "or said to try later.\nThey stay marked retrying, and a run 30 minutes or more "
            "from now tries them again.\nCheck the mail settings with: "
            "python test_email.py you@example.com",
            name=name,
        )
    what = f"{type(error).__name__}: {error}"
    return gettext("%(name)s failed: %(error)s", name=name, error=what)


def dispatch(options: argparse.Namespace, load_app: Callable[[], Flask]) -> int:
    if options.run_task:
        parse_task_args(options.args)  # a typo in --args is reported before the app loads
    from config import ConfigError

    try:
        flask_app = load_app()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    from app.core.terminal_language import in_terminal_language

    with in_terminal_language(flask_app):
        try:
            if options.list_tasks:
                return list_tasks(flask_app)
            if options.schedule:
                return show_schedule(flask_app)
            return run_task(flask_app, options)
        except UsageError as error:
            return usage_error(error)


def usage_error(error: UsageError) -> int:
    print(gettext("error: %(message)s", message=error), file=sys.stderr)
    return EXIT_USAGE


def main(load_app: Callable[[], Flask], argv: Sequence[str] | None = None) -> int:
    """The command line; `load_app` makes the Flask app (celery_utils.py passes the factory:
    a feature's module does not import the app that composes the features)."""
    parser = build_parser()
    options = parser.parse_args(argv)
    if (options.args is not None or options.queue_it) and not options.run_task:
        parser.error(gettext("--args and --async go with --run-task NAME"))
    if not (options.list_tasks or options.schedule or options.run_task):
        parser.print_help()
        return EXIT_OK
    try:
        return dispatch(options, load_app)
    except UsageError as error:  # found before the app loaded: in English
        return usage_error(error)
