"""A demo workspace for `make run`: people, projects and tasks due around now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.service import register_user
from app.checklists.service import add_item, set_done
from app.core.database import DbSession
from app.core.timezones import to_local
from app.labels.service import create_label, set_task_labels
from app.projects.models import Project
from app.projects.service import add_member_by_email, create_project
from app.recurring.rules import build_rule
from app.recurring.service import TemplateFields, create_series
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.webhooks.models import WEBHOOK_EVENTS
from app.webhooks.service import create_subscription

DEMO_PASSWORD = "tickler-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    timezone: str
    language: str = "en"
    is_admin: bool = False


DEMO_PEOPLE = (
    DemoPerson("alice@example.com", "Alice Admin", "Europe/London", is_admin=True),
    # A team across languages: Bob reads Tickler in German, Chandra in Japanese.
    DemoPerson("bob@example.com", "Bob Builder", "America/New_York", language="de"),
    DemoPerson("chandra@example.com", "Chandra Rao", "Asia/Kolkata", language="ja"),
)

# (project, title, assignee index, status, priority, hours from now until due)
DEMO_TASKS = (
    (
        "Website relaunch",
        "Write launch announcement",
        0,
        TaskStatus.IN_PROGRESS,
        TaskPriority.HIGH,
        5,
    ),
    (
        "Website relaunch",
        "Fix broken links on pricing page",
        1,
        TaskStatus.PENDING,
        TaskPriority.CRITICAL,
        -30,
    ),
    ("Website relaunch", "Approve new hero images", 0, TaskStatus.PENDING, TaskPriority.MEDIUM, -3),
    (
        "Website relaunch",
        "Set up redirects from old URLs",
        1,
        TaskStatus.BLOCKED,
        TaskPriority.HIGH,
        20,
    ),
    ("Website relaunch", "Accessibility review", 2, TaskStatus.PENDING, TaskPriority.MEDIUM, 60),
    ("Website relaunch", "Publish release notes", 0, TaskStatus.COMPLETED, TaskPriority.LOW, -48),
    ("Quarterly planning", "Collect team goals", 0, TaskStatus.PENDING, TaskPriority.MEDIUM, 30),
    ("Quarterly planning", "Draft budget", 1, TaskStatus.IN_PROGRESS, TaskPriority.HIGH, 10),
    ("Quarterly planning", "Book offsite venue", 2, TaskStatus.PENDING, TaskPriority.LOW, 24 * 9),
    (
        "Quarterly planning",
        "Review hiring plan",
        None,
        TaskStatus.PENDING,
        TaskPriority.MEDIUM,
        None,
    ),
)


def is_empty(session: DbSession) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def load_demo_workspace(
    session: DbSession,
    now: datetime,
    webhook_url: str | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
) -> list[DemoPerson]:
    """Fill an empty database with the demo workspace; returns the people who can log in.

    With `webhook_url` (the development receiver) the first project sends it every event."""
    users = [
        register_user(
            session, email=p.email, name=p.name, password=DEMO_PASSWORD, timezone=p.timezone
        )
        for p in DEMO_PEOPLE
    ]
    for person, user in zip(DEMO_PEOPLE, users, strict=True):
        user.is_admin = person.is_admin
        user.language = person.language
    projects = {}
    for name, description in (
        ("Website relaunch", "Everything for the new site going live."),
        ("Quarterly planning", "Goals, budget and the offsite for next quarter."),
    ):
        project = create_project(session, owner=users[0], name=name, description=description)
        for person in DEMO_PEOPLE[1:]:
            add_member_by_email(session, project, person.email)
        projects[name] = project
    tasks = {}
    for project_name, title, who, status, priority, hours in DEMO_TASKS:
        tasks[title] = Task(
            project=projects[project_name],
            title=title,
            assignee=users[who] if who is not None else None,
            creator=users[0],
            status=status,
            priority=priority,
            due_at=now + timedelta(hours=hours) if hours is not None else None,
            completed_at=now - timedelta(hours=50) if status == TaskStatus.COMPLETED else None,
        )
        session.add(tasks[title])
    session.flush()
    add_demo_labels(session, projects, tasks, users[0])
    add_demo_checklist(session, tasks["Write launch announcement"], users[0], now)
    add_demo_history(session, projects["Website relaunch"], users, now)
    add_demo_series(session, projects["Website relaunch"], users, now)
    add_demo_trash(session, projects["Website relaunch"], users, now)
    if webhook_url:
        create_subscription(
            session,
            project=projects["Website relaunch"],
            creator=users[0],
            url=webhook_url,
            events=list(WEBHOOK_EVENTS),
            allowed_hosts=allowed_hosts,
        )
    return list(DEMO_PEOPLE)


# (project, label name, color, titles of the tasks carrying it)
DEMO_LABELS = (
    ("Website relaunch", "ops", "#00695c", ("Set up redirects from old URLs",)),
    ("Website relaunch", "design", "#8e44ad", ("Approve new hero images", "Accessibility review")),
    ("Website relaunch", "bug", "#b3261e", ("Fix broken links on pricing page",)),
    ("Quarterly planning", "ops", "#00695c", ("Book offsite venue",)),
    ("Quarterly planning", "budget", "#f9d94a", ("Draft budget",)),
)
DEMO_CHECKLIST = (
    ("Outline the three big changes", True),
    ("Get quotes from two customers", True),
    ("Review with marketing", False),
    ("Schedule the post", False),
)


def add_demo_labels(
    session: DbSession, projects: dict[str, Project], tasks: dict[str, Task], actor: User
) -> None:
    """A few labels per project, set on tasks the way a person sets them."""
    carried: dict[str, list[int]] = {}
    for project_name, name, color, titles in DEMO_LABELS:
        label = create_label(session, projects[project_name].id, name, color)
        for title in titles:
            carried.setdefault(title, []).append(label.id)
    for title, label_ids in carried.items():
        set_task_labels(session, tasks[title], label_ids, actor_id=actor.id)


def add_demo_checklist(session: DbSession, task: Task, actor: User, now: datetime) -> None:
    """A half-done checklist, so the task page and lists show "2/4"."""
    for text, done in DEMO_CHECKLIST:
        item = add_item(session, task.id, text)
        if done:
            set_done(session, item, True, user_id=actor.id, now=now)


def add_demo_history(
    session: DbSession, project: Project, users: list[User], now: datetime
) -> None:
    """Ten weeks of finished work, some of it late, so the analytics charts have a story."""
    for week in range(1, 11):
        for n in range(week % 3 + 1):
            completed = now - timedelta(weeks=week, hours=5 * n)
            took = timedelta(days=2 + (week + n) % 5)
            late = (week + n) % 4 == 0
            session.add(
                Task(
                    project=project,
                    title=f"Sprint {11 - week} item {n + 1}",
                    assignee=users[(week + n) % len(users)],
                    creator=users[0],
                    status=TaskStatus.COMPLETED,
                    priority=list(TaskPriority)[(week + n) % len(TaskPriority)],
                    created_at=completed - took,
                    due_at=completed - timedelta(days=1) if late else completed + timedelta(days=1),
                    completed_at=completed,
                    archived_at=completed + timedelta(days=30) if week > 5 else None,
                )
            )


def add_demo_trash(session: DbSession, project: Project, users: list[User], now: datetime) -> None:
    """A task someone deleted a few days ago, so the project's Trash shows what it is for."""
    session.add(
        Task(
            project=project,
            title="Draft the old-style banner (replaced by the new hero image)",
            creator=users[0],
            assignee=users[1],
            status=TaskStatus.PENDING,
            priority=TaskPriority.LOW,
            deleted_at=now - timedelta(days=3),
            deleted_by=users[1],
        )
    )


def add_demo_series(session: DbSession, project: Project, users: list[User], now: datetime) -> None:
    """Two chores that repeat; the first occurrences appear when the job next runs."""
    today_9 = to_local(now, users[0].timezone).replace(hour=9, minute=0, second=0, microsecond=0)
    for title, rule, assignee in (
        ("Post the weekly status update", build_rule("weekly", ["MO"]), users[1]),
        ("Check the uptime dashboard", build_rule("weekdays"), users[2]),
    ):
        create_series(
            session,
            project_id=project.id,
            owner=users[0],
            fields=TemplateFields(
                title=title,
                description="",
                priority=TaskPriority.MEDIUM,
                assignee_id=assignee.id,
                rule=rule,
                starts_at=today_9.astimezone(UTC),
            ),
            now=now,
        )
