"""The data model: one module per aggregate."""

from app.models.action_token import UsedActionToken
from app.models.base import Base, utcnow
from app.models.comment import Comment, TaskWatcher
from app.models.delivery import Delivery, DeliveryStatus, EmailKind
from app.models.notification import Notification, NotificationKind, NotificationPreference
from app.models.preference import EmailPreference
from app.models.project import MemberRole, Project, ProjectMember
from app.models.reminder import TaskReminder
from app.models.report import JobRun, Report
from app.models.task import Task, TaskPriority, TaskStatus
from app.models.user import User

__all__ = [
    "Base",
    "Comment",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "TaskReminder",
    "TaskWatcher",
    "UsedActionToken",
    "Delivery",
    "DeliveryStatus",
    "EmailKind",
    "EmailPreference",
    "JobRun",
    "Report",
    "MemberRole",
    "Project",
    "ProjectMember",
    "Task",
    "TaskPriority",
    "TaskStatus",
    "User",
    "utcnow",
]
