"""The data model: one module per aggregate."""

from app.models.base import Base, utcnow
from app.models.project import MemberRole, Project, ProjectMember
from app.models.task import Task, TaskPriority, TaskStatus
from app.models.user import User

__all__ = [
    "Base",
    "MemberRole",
    "Project",
    "ProjectMember",
    "Task",
    "TaskPriority",
    "TaskStatus",
    "User",
    "utcnow",
]
