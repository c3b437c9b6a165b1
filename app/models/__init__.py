"""The data model: one module per aggregate."""

from app.models.action_token import UsedActionToken
from app.models.analytics import AnalyticsScope, AnalyticsSnapshot
from app.models.base import Base, utcnow
from app.models.comment import Comment, TaskWatcher
from app.models.delivery import Delivery, DeliveryStatus, EmailKind
from app.models.export import Export, ExportFormat, ExportStatus
from app.models.invitation import ProjectInvitation
from app.models.login_session import UserSession
from app.models.notification import Notification, NotificationKind, NotificationPreference
from app.models.operations import BeatTick, PendingJob, ScheduleSetting, TaskRun
from app.models.preference import EmailPreference
from app.models.project import MemberRole, Project, ProjectMember
from app.models.recurring import RecurringSeries
from app.models.reminder import TaskReminder
from app.models.report import JobRun, Report
from app.models.task import Task, TaskPriority, TaskStatus
from app.models.user import User
from app.models.webhook import WebhookDelivery, WebhookStatus, WebhookSubscription

__all__ = [
    "AnalyticsScope",
    "AnalyticsSnapshot",
    "Base",
    "BeatTick",
    "PendingJob",
    "ScheduleSetting",
    "TaskRun",
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
    "Export",
    "ExportFormat",
    "ExportStatus",
    "JobRun",
    "Report",
    "MemberRole",
    "Project",
    "RecurringSeries",
    "ProjectMember",
    "ProjectInvitation",
    "Task",
    "TaskPriority",
    "TaskStatus",
    "User",
    "UserSession",
    "WebhookDelivery",
    "WebhookStatus",
    "WebhookSubscription",
    "utcnow",
]
