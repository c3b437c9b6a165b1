"""What templates ask of labels: a task's labels and its project's (the task page's partial),
and the readable text color on a label's color."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, g, url_for
from markupsafe import Markup

from app.extensions import db
from app.labels import service
from app.labels.colors import is_hex_color, text_color_on
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


def label_colors_script() -> Markup:
    """The script that paints label colors, the first time a page asks; nothing after that
    (a module script, deferred, so it runs once the whole page is parsed)."""
    if g.get("label_colors_script_given"):
        return Markup("")
    g.label_colors_script_given = True
    src = url_for("labels.static", filename="labels.js")
    return Markup('<script type="module" src="{}"></script>').format(src)


def color_or(value: str | None, fallback: str) -> str:
    """`value` when it is a #rrggbb color, else `fallback` (a refused form shows its picker)."""
    return value if value and is_hex_color(value) else fallback


def register(app: Flask) -> None:
    """Give templates `task_labels_panel(task)`, `label_colors_script()` and the
    `label_text_color` filter."""
    app.add_template_global(task_labels_panel, "task_labels_panel")
    app.add_template_global(label_colors_script, "label_colors_script")
    app.add_template_filter(text_color_on, "label_text_color")
    app.add_template_filter(color_or, "label_color_or")
