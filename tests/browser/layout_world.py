"""A lived-in workspace for the layout test: the demo projects plus the long, many and odd
things real use brings (long titles and names, a crowd of members, comments with links, archive,
exports, outbox rows, webhooks, analytics, a long email in the development mailbox)."""

from __future__ import annotations

import json
import mailbox
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.analytics.models import AnalyticsScope
from app.analytics.queries import compute_snapshot
from app.checklists.service import add_item, set_done
from app.comments.models import Comment
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.email.render import render_email
from app.demo import load_demo_workspace
from app.digests.content import reminder_digest
from app.digests.reports import compute_daily_report, store_report
from app.exports.models import Export, ExportFormat, ExportStatus
from app.extensions import db
from app.history.models import TaskActivity
from app.labels.models import LABEL_NAME_MAX_LENGTH
from app.labels.service import create_label, set_task_labels
from app.notifications.models import Notification
from app.operations.models import TaskRun
from app.projects.models import MemberRole, Project, ProjectMember
from app.recurring.models import RecurringSeries
from app.reminders.models import TaskReminder
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.webhooks.models import WebhookDelivery, WebhookStatus, WebhookSubscription
from tests.conftest import password_hash

ADMIN_EMAIL = "alice@example.com"  # the demo's admin, owner of both demo projects
MEMBER_EMAIL = "chandra@example.com"  # a plain member: no admin, owns nothing
PASSWORD = "tickler-demo"
LONG_PROJECT = "Customer onboarding revamp for the enterprise tier (EMEA and APAC rollout)"
LONG_TITLES = (
    "Coordinate the cross-functional review of the onboarding email sequence with legal, "
    "marketing and the support leads before the relaunch goes out to every enterprise account",
    "Update https://docs.example.com/enterprise/onboarding/checklists/administrators/"
    "single-sign-on-configuration-troubleshooting-guide",
    "Rename SupercalifragilisticexpialidociousConfigurationLoaderFactoryImplementation",
)
LONG_TEXT = (
    "Looked at the logs from last night: the import stalled at 14:02 and again at 14:37. "
    "Details in https://monitoring.example.com/dashboards/imports/enterprise-onboarding/"
    "2026-03-14/run-8842?panel=latency&from=now-24h&to=now&refresh=30s — @bob can you check?"
)


@dataclass(frozen=True)
class LayoutWorld:
    """Ids of one object of each kind, all visible to the admin; the member sees the projects."""

    project_id: int
    long_project_id: int
    task_id: int
    comment_id: int
    series_id: int
    subscription_id: int
    export_id: int
    mail_key: str
    label_id: int = 0


def add_history(task: Task, project: Project, crowd: list[User], now: datetime) -> None:
    """Enough history for "Show all" and two pages of it, with long titles and names."""
    db.session.add_all(
        TaskActivity(
            task_id=task.id,
            project_id=project.id,
            actor_id=None,
            actor_name=crowd[n % len(crowd)].name if n % 5 else None,
            kind="changed",
            field="title",
            old_value=LONG_TITLES[n % len(LONG_TITLES)],
            new_value=LONG_TITLES[(n + 1) % len(LONG_TITLES)],
            created_at=now - timedelta(minutes=n),
        )
        for n in range(60)
    )


def build_layout_world(app: Flask, now: datetime, mailbox_dir: Path) -> LayoutWorld:
    with app.app_context():
        session = db.session
        load_demo_workspace(session, now)
        admin = session.scalar(select(User).where(User.email == ADMIN_EMAIL))
        project = session.scalar(select(Project).where(Project.name == "Website relaunch"))
        crowd = add_crowd(project, now)
        long_project = Project(name=LONG_PROJECT, description=LONG_TEXT, owner=admin)
        long_project.memberships.append(ProjectMember(user=admin, role=MemberRole.OWNER))
        session.add(long_project)
        tasks = add_long_tasks(project, admin, crowd, now)
        add_long_tasks(long_project, admin, crowd, now)
        session.flush()
        task = tasks[0]
        comments = [
            Comment(
                task_id=task.id, author=person, body=LONG_TEXT, created_at=now - timedelta(hours=n)
            )
            for n, person in enumerate([admin, *crowd[:3]])
        ]
        session.add_all(comments)
        add_history(task, project, crowd, now)
        session.add(
            TaskReminder(task_id=task.id, user_id=admin.id, remind_at=now + timedelta(days=1))
        )
        series = session.scalar(select(RecurringSeries).where(RecurringSeries.project == project))
        label_id = add_labels_and_checklist(project, tasks[0], admin, now)
        add_trash(project, admin, crowd, now)
        hook = add_webhook(project, admin, now)
        export = add_exports(admin, project, now)
        add_inbox(admin, tasks, now)
        add_outbox(admin, crowd, tasks, now)
        add_task_runs(now)
        store_report(session, now.date(), compute_daily_report(session, now, "UTC"), now)
        store_report(
            session, now.date() - timedelta(days=1), compute_daily_report(session, now, "UTC"), now
        )
        session.commit()
        for scope, scope_id in (
            (AnalyticsScope.PROJECT, project.id),
            (AnalyticsScope.PROJECT, long_project.id),
            (AnalyticsScope.USER, admin.id),
        ):
            compute_snapshot(session, scope, scope_id, now)
        session.commit()
        mail_key = add_long_email(app, admin, tasks, now, mailbox_dir)
        return LayoutWorld(
            project.id,
            long_project.id,
            task.id,
            comments[0].id,
            series.id,
            hook.id,
            export.id,
            mail_key,
            label_id=label_id,
        )


def add_labels_and_checklist(project: Project, task: Task, admin: User, now: datetime) -> int:
    """Labels with the longest names on a long task, and a checklist with a long item."""
    session = db.session
    names = ["x" * LABEL_NAME_MAX_LENGTH, "Needs legal sign-off before launch", "a11y"]
    labels = [
        create_label(session, project.id, name, color)
        for name, color in zip(names, ["#f9d94a", "#3b6ea8", "#9fd8f5"], strict=True)
    ]
    set_task_labels(session, task, [label.id for label in labels], actor_id=admin.id)
    for n, text in enumerate([LONG_TITLES[1], LONG_TITLES[2], "Ship it"]):
        item = add_item(session, task.id, text)
        if n == 0:
            set_done(session, item, True, user_id=admin.id, now=now)
    return labels[1].id


def add_crowd(project: Project, now: datetime) -> list[User]:
    """Fourteen more members, some with long names and addresses."""
    people = [
        User(
            email=f"{first.lower()}.{last.lower()}@{domain}",
            name=f"{first} {last}",
            timezone="Europe/Berlin",
            password_hash=password_hash(PASSWORD),
        )
        for first, last, domain in [
            ("Maximiliane", "Oberhuber-Wittgenstein", "subsidiary.enterprise-example.com"),
            ("Jo", "Li", "example.com"),
            ("Bartholomew", "Featherstonehaugh", "example.co.uk"),
            ("Ana", "Souza", "example.com.br"),
            ("Nguyen", "Thi Minh Khai", "example.vn"),
            ("Priyanka", "Venkataraghavan", "example.in"),
            ("Olu", "Adeyemi", "example.ng"),
            ("Sven", "Svensson", "example.se"),
            ("Chiara", "Bianchi", "example.it"),
            ("Kwame", "Mensah", "example.gh"),
            ("Yuki", "Tanaka", "example.jp"),
            ("Zoë", "Brontë-Ångström", "example.fr"),
            ("Rafael", "Hernández", "example.mx"),
            ("Aleksandra", "Wiśniewska-Kowalczyk", "example.pl"),
        ]
    ]
    for person in people:
        project.memberships.append(ProjectMember(user=person, role=MemberRole.MEMBER))
    db.session.add_all(people)
    return people


def add_long_tasks(project: Project, admin: User, crowd: list[User], now: datetime) -> list[Task]:
    """Long titles due soon and late, and fourteen old completed tasks due long ago."""
    tasks = [
        Task(
            project=project,
            title=title,
            description=LONG_TEXT,
            creator=admin,
            assignee=crowd[n],
            status=TaskStatus.IN_PROGRESS if n else TaskStatus.PENDING,
            priority=TaskPriority.CRITICAL,
            due_at=now + timedelta(hours=6 * n - 5),
        )
        for n, title in enumerate(LONG_TITLES)
    ]
    for n in range(14):
        completed = now - timedelta(days=40 + n)
        tasks.append(
            Task(
                project=project,
                title=f"Migrate legacy customer record batch {n + 1} to the new schema",
                creator=admin,
                assignee=crowd[n % len(crowd)],
                status=TaskStatus.COMPLETED,
                priority=TaskPriority.HIGH,
                due_at=completed,
                completed_at=completed,
                archived_at=completed + timedelta(days=30) if n % 2 else None,
            )
        )
    db.session.add_all(tasks)
    return tasks


def add_trash(project: Project, admin: User, crowd: list[User], now: datetime) -> None:
    """Long-titled tasks in the project's Trash, deleted by long-named people, and a deleted
    project of the admin's under "Deleted projects"."""
    db.session.add_all(
        Task(
            project=project,
            title=title,
            creator=admin,
            status=TaskStatus.PENDING,
            deleted_at=now - timedelta(days=n * 9, hours=n),
            deleted_by=crowd[n * 13 % len(crowd)],
        )
        for n, title in enumerate(LONG_TITLES)
    )
    gone = Project(
        name="Quarterly planning for the enterprise tier (archived programme, EMEA and APAC)",
        owner=admin,
        deleted_at=now - timedelta(days=12),
        deleted_by_id=admin.id,
    )
    gone.memberships.append(ProjectMember(user=admin, role=MemberRole.OWNER))
    db.session.add(gone)


def add_webhook(project: Project, admin: User, now: datetime) -> WebhookSubscription:
    hook = WebhookSubscription(
        project=project,
        created_by_id=admin.id,
        url="https://hooks.enterprise-example.com/integrations/tickler/inbound/"
        "a6f0c1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d?token=not-a-real-one",
        secret="s" * 32,
        events="task.created,task.updated,task.status_changed,comment.created",
    )
    db.session.add(hook)
    db.session.flush()
    payload = json.dumps({"event": "task.updated", "task": {"title": LONG_TITLES[0]}})
    db.session.add_all(
        WebhookDelivery(
            subscription_id=hook.id,
            event="task.updated",
            event_id=f"evt-{n}",
            payload=payload,
            status=status,
            attempts=n,
            response_code=code,
            response_excerpt="<html><body><h1>502 Bad Gateway</h1>" + "x" * 300,
            last_error=None if code == 200 else "HTTP 502 from hooks.enterprise-example.com",
            attempted_at=now - timedelta(minutes=n),
            delivered_at=now if code == 200 else None,
        )
        for n, (status, code) in enumerate(
            [(WebhookStatus.DELIVERED, 200), (WebhookStatus.FAILED, 502)] * 3
        )
    )
    return hook


def add_exports(admin: User, project: Project, now: datetime) -> Export:
    exports = [
        Export(
            user_id=admin.id,
            project=project,
            format=ExportFormat.CSV,
            status=ExportStatus.DONE,
            rows_written=1234,
            total_rows=1234,
            created_at=now - timedelta(hours=2),
            finished_at=now - timedelta(hours=2),
            expires_at=now + timedelta(hours=22),
        ),
        Export(
            user_id=admin.id,
            project=None,
            format=ExportFormat.XLSX,
            status=ExportStatus.FAILED,
            error="The worker stopped while writing: " + LONG_TEXT,
            filters={"status": ["pending", "in_progress", "blocked"], "sort": "priority"},
            created_at=now - timedelta(hours=1),
        ),
        Export(
            user_id=admin.id,
            project=project,
            format=ExportFormat.XLSX,
            status=ExportStatus.RUNNING,
            rows_written=500,
            total_rows=20000,
            created_at=now,
        ),
    ]
    db.session.add_all(exports)
    db.session.flush()
    return exports[1]


def add_inbox(admin: User, tasks: list[Task], now: datetime) -> None:
    db.session.add_all(
        Notification(
            user_id=admin.id,
            kind="commented",
            task=task,
            message=f"Maximiliane Oberhuber-Wittgenstein commented on “{task.title}”",
            created_at=now - timedelta(minutes=n),
            in_app=True,
        )
        for n, task in enumerate(tasks[:5])
    )


def add_outbox(admin: User, crowd: list[User], tasks: list[Task], now: datetime) -> None:
    task_ids = [task.id for task in tasks[:4]]
    # Two addresses bounced for good: the profile's notice, the Outbox's list and marks.
    for person in (admin, crowd[0]):
        person.email_undeliverable_at = now - timedelta(days=1)
        person.email_undeliverable_reason = (
            f"550 5.1.1 <{person.email}>: Recipient address rejected: "
            "User unknown in virtual mailbox table (mx1.subsidiary.enterprise-example.com)"
        )
    db.session.add_all(
        Delivery(
            recipient=person,
            kind=kind,
            period=(now.date() - timedelta(days=n)).isoformat(),
            status=status,
            attempts=n % 4,
            last_error=(
                "554 5.7.1 Message rejected: the receiving server at "
                "mx1.subsidiary.enterprise-example.com refused the sender's domain policy"
                if status == DeliveryStatus.FAILED
                else None
            ),
            sent_at=now if status == DeliveryStatus.SENT else None,
            reason={
                "rule": "tasks due within a day, sent once a day at the person's morning hour",
                "task_ids": task_ids,
                "events": [f"{admin.name} changed the due date of “{LONG_TITLES[0]}”"],
            },
        )
        for n, (person, kind, status) in enumerate(
            [
                (crowd[0], EmailKind.TASK_REMINDER, DeliveryStatus.FAILED),
                (admin, EmailKind.OVERDUE_ALERT, DeliveryStatus.SENT),
                (crowd[5], EmailKind.WEEKLY_SUMMARY, DeliveryStatus.RETRYING),
                (crowd[11], EmailKind.TASK_ACTIVITY, DeliveryStatus.SKIPPED),
            ]
        )
    )


def add_task_runs(now: datetime) -> None:
    db.session.add_all(
        TaskRun(
            celery_id=f"layout-run-{n}",
            name="app.tasks.task_management.send_task_reminders",
            queue="default",
            state=state,
            arguments={"args": [], "kwargs": {"chunk": list(range(40))}},
            created_at=now - timedelta(minutes=n),
            started_at=now - timedelta(minutes=n),
            finished_at=now - timedelta(minutes=n) + timedelta(seconds=3),
            runtime_ms=3000,
            error="Traceback: SMTPServerDisconnected('Connection unexpectedly closed: "
            + "x" * 200
            + "')"
            if state == "FAILURE"
            else None,
        )
        for n, state in enumerate(["SUCCESS", "FAILURE", "SUCCESS", "STARTED"])
    )


def add_long_email(
    app: Flask, admin: User, tasks: list[Task], now: datetime, mailbox_dir: Path
) -> str:
    """A reminder listing every open task, far taller than any fixed preview box."""
    with app.test_request_context("/"):
        user = db.session.merge(admin)
        open_tasks = [db.session.merge(task) for task in tasks if task.status.value != "completed"]
        digest = reminder_digest(open_tasks * 6, now, user.timezone)
        assert digest is not None
        content = render_email(
            digest.kind.value,
            digest.subject,
            user=user,
            unsubscribe_url="http://127.0.0.1/unsubscribe/x",
            preferences_url="http://127.0.0.1/preferences",
            actions={},
            **digest.context,
        )
    message = EmailMessage()
    message["Subject"] = content.subject
    message["To"] = f"{user.name} <{user.email}>"
    message["From"] = "Tickler <tickler@example.com>"
    message["Date"] = now.strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    box = mailbox.Maildir(mailbox_dir, create=True)
    return box.add(message.as_bytes())
