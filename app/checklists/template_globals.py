"""What templates ask of checklists: a task's items and progress (the task page's partial)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.checklists.service import Checklist, checklist_of
from app.extensions import db


def task_checklist(task: Any) -> Checklist:
    return checklist_of(db.session, task.id)


def register(app: Flask) -> None:
    """Give templates `task_checklist(task)`."""
    app.add_template_global(task_checklist, "task_checklist")
