"""The admin's command line for Celery tasks: list them, show the beat schedule, run one by hand.

`python celery_utils.py --list-tasks` (and the rest of the Celery guide's commands) run this;
the commands live in app/operations/celery_cli.py, where their words are translated into the
terminal's language (LC_ALL, LC_MESSAGES or LANG)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.operations.celery_cli import limit_connection_waits, masked_url, task_names
from app.operations.celery_cli import main as run_command_line

# What test_celery.py and the tests import from this script.
__all__ = ["limit_connection_waits", "load_app", "main", "masked_url", "task_names"]

if TYPE_CHECKING:
    from flask import Flask


def load_app() -> Flask:
    # Imported here, not at the top, so `--help` answers before the app is built.
    from app import create_app

    return create_app()


def main(argv: Sequence[str] | None = None) -> int:
    return run_command_line(load_app, argv)


if __name__ == "__main__":
    sys.exit(main())
