"""The hand-computed analytics fixture, put in the database with its exact moments."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.tasklist.models import Task, TaskPriority, TaskStatus
from tests.analytics.test_rules import FIXTURE

OPEN_STATUS = {"I": TaskStatus.PENDING, "J": TaskStatus.IN_PROGRESS, "K": TaskStatus.BLOCKED}
PRIORITY = {"A": TaskPriority.HIGH, "F": TaskPriority.CRITICAL, "K": TaskPriority.LOW}
ARCHIVED = {"A", "H"}  # archived tasks are history: they still count


def add_fixture_tasks(app: Any, make: Any, project_id: int, creator_id: int, **task: Any) -> dict:
    """The twelve tasks A..L in `project_id`; returns name -> id."""
    ids = {}
    for name, (_created, completed, due) in FIXTURE.items():
        status = TaskStatus.COMPLETED if completed else OPEN_STATUS.get(name, TaskStatus.PENDING)
        ids[name] = make.task(
            project_id,
            creator_id,
            title=f"Task {name}",
            status=status,
            priority=PRIORITY.get(name, TaskPriority.MEDIUM),
            due_at=due,
            completed_at=completed,
            archived_at=completed if name in ARCHIVED else None,
            **task,
        )
    with app.app_context():
        for name, task_id in ids.items():
            db.session.get(Task, task_id).created_at = FIXTURE[name][0]
        db.session.commit()
    return ids
