"""TaskFields for service tests: a plain pending task, with the fields a test names changed."""

from __future__ import annotations

from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import TaskFields


def fields(**changes: object) -> TaskFields:
    values: dict[str, object] = dict(
        title="Ship it",
        description="",
        status=TaskStatus.PENDING,
        priority=TaskPriority.MEDIUM,
        due_at=None,
        assignee_id=None,
    )
    values.update(changes)
    return TaskFields(**values)  # type: ignore[arg-type]
