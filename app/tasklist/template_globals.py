"""What the templates ask of a task: whether it is overdue now, which Trash and archive buttons
it offers, and how long something deleted stays in the Trash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app

from app.core.database import utcnow
from app.tasklist import trash_rules
from app.tasklist.deadlines import is_overdue


def task_is_overdue(task: Any) -> bool:
    return is_overdue(task, utcnow())


def has_endpoint(name: str) -> bool:
    """Whether a page exists, so links to a feature's page appear only where it is built."""
    return name in current_app.view_functions


def trash_days_left(deleted_at: datetime) -> int:
    """Whole days before the purge takes what was deleted at `deleted_at`."""
    return trash_rules.days_left(deleted_at, utcnow(), current_app.config["TRASH_RETENTION_DAYS"])


def register(app: Flask) -> None:
    """Give every template `is_overdue(task)`, `has_endpoint(name)`, the task action rules
    (`can_reopen`, `can_archive`, `can_delete`) and `trash_days_left(deleted_at)`."""
    app.add_template_global(task_is_overdue, "is_overdue")
    app.add_template_global(has_endpoint, "has_endpoint")
    app.add_template_global(trash_rules.can_reopen, "can_reopen")
    app.add_template_global(trash_rules.can_archive, "can_archive")
    app.add_template_global(trash_rules.can_delete, "can_delete")
    app.add_template_global(trash_days_left, "trash_days_left")
