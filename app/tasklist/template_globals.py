"""What the templates ask of a task: whether it is overdue now."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from app.core.database import utcnow
from app.tasklist.deadlines import is_overdue


def task_is_overdue(task: Any) -> bool:
    return is_overdue(task, utcnow())


def has_endpoint(name: str) -> bool:
    """Whether a page exists, so links to a feature's page appear only where it is built."""
    return name in current_app.view_functions


def register(app: Flask) -> None:
    """Give every template `is_overdue(task)` and `has_endpoint(name)`."""
    app.add_template_global(task_is_overdue, "is_overdue")
    app.add_template_global(has_endpoint, "has_endpoint")
