"""What templates ask of labels: a task's labels and its project's (the task page's partial),
and the readable text color on a label's color."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from app.extensions import db
from app.labels import service
from app.labels.colors import text_color_on
from app.labels.models import Label
from app.labels.queries import LabelView, labels_for_tasks


@dataclass(frozen=True)
class TaskLabelsPanel:
    """The task page's labels: those on the task, and every label of its project to choose."""

    current: list[LabelView]
    choices: list[Label]

    @property
    def current_ids(self) -> set[int]:
        return {label.id for label in self.current}


def task_labels_panel(task: Any) -> TaskLabelsPanel:
    current = labels_for_tasks(db.session, [task.id]).get(task.id, [])
    return TaskLabelsPanel(current, service.project_labels(db.session, task.project_id))


def register(app: Flask) -> None:
    """Give templates `task_labels_panel(task)` and the `label_text_color` filter."""
    app.add_template_global(task_labels_panel, "task_labels_panel")
    app.add_template_filter(text_color_on, "label_text_color")
