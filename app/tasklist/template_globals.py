"""What the templates ask of a task: whether it is overdue now."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.core.database import utcnow
from app.tasklist.deadlines import is_overdue


def task_is_overdue(task: Any) -> bool:
    return is_overdue(task, utcnow())


def register(app: Flask) -> None:
    """Give every template `is_overdue(task)`."""
    app.add_template_global(task_is_overdue, "is_overdue")
