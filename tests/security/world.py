"""Two teams with one of every kind of object, so each route can be tried across the line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import insert

from app.accounts.session_models import UserSession
from app.api.tokens import make_token
from app.checklists.models import ChecklistItem
from app.comments.models import Comment
from app.core.database import utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.exports.models import Export, ExportFormat
from app.extensions import db
from app.labels.models import Label, task_labels
from app.notifications.models import Notification
from app.operations.models import TaskRun
from app.projects.invitation_models import ProjectInvitation
from app.projects.invitation_rules import INVITATION_LIFETIME, token_digest
from app.recurring.models import RecurringSeries
from app.reminders.models import TaskReminder
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.conftest import Factory


@dataclass(frozen=True)
class Team:
    """One project and one of each object in it, all ids."""

    owner_id: int
    owner_email: str
    project_id: int
    task_id: int
    comment_id: int
    reminder_id: int
    series_id: int
    subscription_id: int
    webhook_delivery_id: int
    export_id: int
    notification_id: int
    # A browser the owner is logged in on (user_sessions.id).
    login_session_id: str
    # An invitation to the project, open, and the token of its link.
    invitation_id: int
    invitation_token: str
    # A label of the project on the task, and an item of the task's checklist.
    label_id: int = 0
    checklist_item_id: int = 0
    # A personal access token of the owner's (the profile's API tokens page).
    api_token_id: int = 0


@dataclass(frozen=True)
class World:
    """Team A (with a plain member) and team B; the admin owns team B."""

    a: Team
    b: Team
    member_a_id: int
    member_a_email: str
    delivery_id: int
    run_id: int


def build_team(app: Flask, make: Factory, email: str, is_admin: bool, members=()) -> Team:
    owner_id = make.user(email=email, is_admin=is_admin)
    project_id = make.project(owner_id, name=f"Project of {email}", members=members)
    task_id = make.task(project_id, owner_id, title=f"Secret task of {email}", assignee_id=owner_id)
    now = utcnow()
    with app.app_context():
        comment = Comment(task_id=task_id, author_id=owner_id, body="a private remark")
        reminder = TaskReminder(task_id=task_id, user_id=owner_id, remind_at=now + timedelta(1))
        series = RecurringSeries(
            project_id=project_id,
            owner_id=owner_id,
            title="Weekly report",
            rule="FREQ=WEEKLY",
            starts_at=now,
            timezone="UTC",
        )
        hook = WebhookSubscription(
            project_id=project_id,
            created_by_id=owner_id,
            url="https://hooks.example.com/in",
            secret="s" * 32,
            events="task.created",
        )
        export = Export(user_id=owner_id, project_id=project_id, format=ExportFormat.CSV)
        note = Notification(
            user_id=owner_id, kind="commented", task_id=task_id, message="hello", in_app=True
        )
        browser = UserSession(user_id=owner_id, user_agent="Firefox 128 on Ubuntu", ip="192.0.2.1")
        invitation_token = f"invitation-token-of-{email}"
        invitation = ProjectInvitation(
            project_id=project_id,
            email=f"guest.{email}",
            invited_by_id=owner_id,
            token_hash=token_digest(invitation_token),
            expires_at=now + INVITATION_LIFETIME,
        )
        label = Label(project_id=project_id, name="secret label", color="#b3261e")
        item = ChecklistItem(task_id=task_id, text="a private step", position=1.0)
        db.session.add_all(
            [comment, reminder, series, hook, export, note, browser, invitation, label, item]
        )
        db.session.flush()
        hook_delivery = WebhookDelivery(
            subscription_id=hook.id, event="task.created", event_id=str(hook.id), payload="{}"
        )
        db.session.add(hook_delivery)
        db.session.execute(insert(task_labels).values(task_id=task_id, label_id=label.id))
        api_token = make_token(db.session, owner_id, "deploy script", ["read"], None, now).token
        db.session.commit()
        return Team(
            owner_id,
            email,
            project_id,
            task_id,
            comment.id,
            reminder.id,
            series.id,
            hook.id,
            hook_delivery.id,
            export.id,
            note.id,
            browser.id,
            invitation.id,
            invitation_token,
            label_id=label.id,
            checklist_item_id=item.id,
            api_token_id=api_token.id,
        )


def build_world(app: Flask, make: Factory) -> World:
    member_a_email = "mallory@a.example.com"
    member_a_id = make.user(email=member_a_email)
    a = build_team(app, make, "alice@a.example.com", False, members=(member_a_id,))
    b = build_team(app, make, "bob@b.example.com", True)
    with app.app_context():
        delivery = Delivery(
            recipient_id=b.owner_id,
            kind=EmailKind.TASK_REMINDER,
            period="2026-01-01",
            status=DeliveryStatus.FAILED,
        )
        run = TaskRun(celery_id="sec-run-1", name="app.tasks.demo_tasks.ping", state="FAILURE")
        db.session.add_all([delivery, run])
        db.session.commit()
        return World(a, b, member_a_id, member_a_email, delivery.id, run.id)
