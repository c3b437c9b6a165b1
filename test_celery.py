"""Setup check a person runs: config, broker, a worker, its tasks, and a round trip."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from celery_utils import limit_connection_waits, masked_url, task_names

# The checks are named check_*, never test_*, so pytest collects nothing here even when it is
# pointed at this file by name.
PING_TIMEOUT_SECONDS = 3.0
ROUND_TRIP_TIMEOUT_SECONDS = 10.0
PING_TASK = "app.tasks.demo_tasks.ping"
WORKER_COMMAND = "python -m celery -A celery_worker worker --loglevel=info"


class CheckFailed(Exception):
    """A step failed: what is wrong, and what to do about it."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


@dataclass
class Setup:
    """What the earlier checks found, for the later ones."""

    flask_app: Any = None
    celery: Any = None
    workers: list[str] = field(default_factory=list)


def check_config(setup: Setup) -> str:
    from app import ConfigError, create_app

    try:
        setup.flask_app = create_app()
    except ConfigError as error:
        fix = "set the variables named above in .env or the environment"
        raise CheckFailed(str(error), fix) from None
    setup.celery = setup.flask_app.extensions["celery"]
    limit_connection_waits(setup.celery)
    return f"the app's config loads (TICKLER_ENV={setup.flask_app.config['TICKLER_ENV']})"


def check_broker(setup: Setup) -> str:
    url = masked_url(setup.celery.conf.broker_url)
    try:
        with setup.celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:  # kombu and redis-py each raise their own kind
        raise CheckFailed(
            f"cannot reach the broker at {url}: {error}",
            "start Redis: redis-server (check with redis-cli ping), or check CELERY_BROKER_URL",
        ) from None
    return f"the broker answers at {url}"


def check_worker_answers(setup: Setup) -> str:
    replies = setup.celery.control.ping(timeout=PING_TIMEOUT_SECONDS) or []
    setup.workers = sorted(name for reply in replies for name in reply)
    if not setup.workers:
        raise CheckFailed(
            f"no worker answered ping within {PING_TIMEOUT_SECONDS:g} s",
            f"start a worker in another terminal: {WORKER_COMMAND}",
        )
    return f"{len(setup.workers)} worker(s) answer ping: {', '.join(setup.workers)}"


def check_tasks_registered(setup: Setup) -> str:
    expected = set(task_names(setup.celery))
    inspector = setup.celery.control.inspect(
        destination=setup.workers, timeout=PING_TIMEOUT_SECONDS
    )
    registered = inspector.registered() or {}
    if not registered:
        raise CheckFailed(
            "no worker said which tasks it has", f"restart the worker: {WORKER_COMMAND}"
        )
    missing = {
        worker: sorted(expected - set(names))
        for worker, names in registered.items()
        if expected - set(names)
    }
    if missing:
        lines = "; ".join(f"{worker} lacks {', '.join(names)}" for worker, names in missing.items())
        raise CheckFailed(
            lines, f"restart the worker so it loads the current code: {WORKER_COMMAND}"
        )
    return f"every worker has all {len(expected)} of our tasks registered"


def check_round_trip(setup: Setup) -> str:
    from celery.exceptions import TimeoutError as ResultTimeout

    try:
        answer = ask_ping(setup.celery)
    except ResultTimeout:
        raise CheckFailed(
            f"{PING_TASK} got no answer within {ROUND_TRIP_TIMEOUT_SECONDS:g} s",
            "check the worker consumes the 'default' queue: its banner lists [queues]; start it "
            f"without -Q ({WORKER_COMMAND}) or with -Q default,notifications",
        ) from None
    except Exception as error:  # the result store, if it is not the broker, may be down
        backend = masked_url(setup.celery.conf.result_backend)
        raise CheckFailed(
            f"{PING_TASK} failed: {type(error).__name__}: {error}",
            f"check CELERY_RESULT_BACKEND ({backend}) is reachable, and the worker's log",
        ) from None
    if answer != "pong":
        raise CheckFailed(f"{PING_TASK} answered {answer!r}, not 'pong'", "restart the worker")
    return f"{PING_TASK} went through the queue and came back 'pong'"


def ask_ping(celery: Any) -> object:
    result = celery.tasks[PING_TASK].delay()
    try:
        return result.get(timeout=ROUND_TRIP_TIMEOUT_SECONDS)
    finally:
        # Stop listening for the answer now: left to the garbage collector at exit, Celery
        # would unsubscribe while Python shuts down and print a traceback.
        result.backend.remove_pending_result(result)


CHECKS: tuple[tuple[str, Callable[[Setup], str]], ...] = (
    ("Config", check_config),
    ("Broker", check_broker),
    ("Worker", check_worker_answers),
    ("Tasks", check_tasks_registered),
    ("Round trip", check_round_trip),
)


def main() -> int:
    # A console that cannot print ✓ gets an escape rather than a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    setup = Setup()
    print("Checking the Celery setup...")
    for number, (title, check) in enumerate(CHECKS, start=1):
        step = f"{number}/{len(CHECKS)} {title}:"
        try:
            detail = check(setup)
        except CheckFailed as failure:
            print(f"✗ {step} {failure.problem}\n  Fix: {failure.fix}")
            for later, _ in CHECKS[number:]:
                print(f"- {later}: skipped")
            return 1
        print(f"✓ {step} {detail}")
    print("All checks passed: Celery is ready.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
