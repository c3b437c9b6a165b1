"""The task or project an API request names, for the token's person: the same 404 rules as
the pages (another team's ids are not found; a task in the Trash says so), and the task as
the API shows it, with its ETag."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.exceptions import NotFound as TrashedTask

from app.api.auth import api_user
from app.api.etags import etag_of
from app.api.schemas import TaskSchema
from app.extensions import db
from app.labels.queries import LabelView, labels_for_tasks
from app.projects import service as project_rules
from app.projects.models import Project
from app.tasklist.models import Task
from app.tasklist.service import get_task_for_member
from app.tasklist.trash_rules import TRASHED


def project_for_api(project_id: int) -> Project:
    return project_rules.get_project_for_member(db.session, project_id, api_user().id)


def task_for_api(task_id: int, *, in_trash_too: bool = False) -> Task:
    """The task for the token's person; a 404 outside its project, and (unless `in_trash_too`)
    a 404 saying "This task is in the Trash" for its members, as the pages do."""
    task = get_task_for_member(db.session, task_id, api_user().id, include_trash=True)
    if task.is_deleted and not in_trash_too:
        raise TrashedTask(description=TRASHED)
    return task


def task_data(task: Task, labels: list[LabelView]) -> dict[str, Any]:
    """What TaskSchema dumps for a task: its columns, labels and page."""
    return {
        "id": task.id,
        "project_id": task.project_id,
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.value,
        "due_at": task.due_at,
        "assignee_id": task.assignee_id,
        "creator_id": task.creator_id,
        "completed_at": task.completed_at,
        "series_id": task.series_id,
        "labels": [{"id": lab.id, "name": lab.name, "color": lab.color} for lab in labels],
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "url": url_for("tasks.detail", task_id=task.id, _external=True),
    }


def task_answer(task: Task) -> tuple[dict[str, Any], str]:
    """One task as answered, and its ETag (a hash of exactly what is sent)."""
    data = task_data(task, labels_for_tasks(db.session, [task.id]).get(task.id, []))
    return data, etag_of(TaskSchema().dump(data))
