"""What the digest builders read of a task and its project: they are pure functions over these
fields, so tests hand them plain stand-ins instead of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.tasklist.models import TaskPriority, TaskStatus


@dataclass
class FakeProject:
    name: str = "Launch"


@dataclass
class FakeTask:
    id: int
    title: str
    due_at: datetime | None
    status: TaskStatus = TaskStatus.PENDING
    priority: TaskPriority = TaskPriority.MEDIUM
    completed_at: datetime | None = None
    project: FakeProject = field(default_factory=FakeProject)

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED
