"""Every model, imported once so the metadata is whole for the mappers, create_all and Alembic."""

from app.accounts.models import User
from app.accounts.session_models import UserSession
from app.actions.models import UsedActionToken
from app.analytics.models import AnalyticsScope, AnalyticsSnapshot
from app.api.models import ApiToken
from app.calendars.models import CalendarFeed
from app.checklists.models import ChecklistItem
from app.comments.models import Comment, TaskWatcher
from app.core.database import Base, utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.models import PendingJob
from app.digests.models import Report
from app.exports.models import Export, ExportFormat, ExportStatus
from app.history.models import TaskActivity
from app.inbound.models import InboundMessage, ProjectInboundAddress
from app.labels.models import Label, task_labels
from app.notifications.models import Notification, NotificationKind
from app.operations.models import BeatTick, ScheduleSetting, TaskRun
from app.preferences.models import EmailChoice
from app.projects.invitation_models import ProjectInvitation
from app.projects.models import MemberRole, Project, ProjectMember
from app.recurring.models import RecurringSeries
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.webhooks.models import WebhookDelivery, WebhookStatus, WebhookSubscription

__all__ = [
    "ApiToken",
    "AnalyticsScope",
    "AnalyticsSnapshot",
    "Base",
    "BeatTick",
    "CalendarFeed",
    "ChecklistItem",
    "InboundMessage",
    "Label",
    "PendingJob",
    "ScheduleSetting",
    "TaskRun",
    "Comment",
    "Notification",
    "NotificationKind",
    "TaskReminder",
    "TaskWatcher",
    "UsedActionToken",
    "Delivery",
    "DeliveryStatus",
    "EmailKind",
    "EmailChoice",
    "Export",
    "ExportFormat",
    "ExportStatus",
    "Report",
    "MemberRole",
    "Project",
    "RecurringSeries",
    "ProjectMember",
    "ProjectInboundAddress",
    "ProjectInvitation",
    "Task",
    "TaskActivity",
    "TaskPriority",
    "TaskStatus",
    "User",
    "UserSession",
    "WebhookDelivery",
    "WebhookStatus",
    "WebhookSubscription",
    "task_labels",
    "utcnow",
]
