"""The statements behind the busiest pages: what they return, how many there are, and, on
PostgreSQL, that a big team's list never scans every person in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select

from app.accounts.session_models import UserSession
from app.core.database import utcnow
from app.extensions import db
from app.notifications.bell import unread_notifications
from app.notifications.models import Notification, NotificationKind
from app.projects.models import Project
from app.projects.service import member_choices, member_choices_statement
from app.tasklist.models import TaskPriority, TaskStatus
from app.tasklist.service import TaskFilters, project_task_page, task_rows_statement
from bench import data


@pytest.fixture
def listed(make):
    """A project of Ann's with Bob in it and seven tasks of mixed status and priority."""
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="bob")
    project = make.project(ann, members=(bob,))
    now = utcnow()
    for n, (status, priority, assignee) in enumerate(
        [
            (TaskStatus.PENDING, TaskPriority.HIGH, ann),
            (TaskStatus.PENDING, TaskPriority.LOW, bob),
            (TaskStatus.PENDING, TaskPriority.HIGH, None),
            (TaskStatus.IN_PROGRESS, TaskPriority.HIGH, bob),
            (TaskStatus.BLOCKED, TaskPriority.LOW, ann),
            (TaskStatus.COMPLETED, TaskPriority.HIGH, ann),
            (TaskStatus.COMPLETED, TaskPriority.LOW, None),
        ]
    ):
        make.task(
            project,
            ann,
            title=f"T{n}",
            status=status,
            priority=priority,
            assignee_id=assignee,
            due_at=now + timedelta(hours=n),
        )
    make.task(project, ann, title="Archived", archived_at=now)
    return {"ann": ann, "bob": bob, "project": project}


def test_a_page_counts_every_status_but_totals_only_what_the_filters_match(app, listed):
    with app.app_context():
        page = project_task_page(
            db.session,
            listed["project"],
            TaskFilters(priorities=(TaskPriority.HIGH,), sort="due"),
            page=1,
            per_page=2,
        )
    assert page.counts_by_status == {
        TaskStatus.PENDING: 3,
        TaskStatus.IN_PROGRESS: 1,
        TaskStatus.BLOCKED: 1,
        TaskStatus.COMPLETED: 2,
    }
    assert (page.total, page.pages) == (4, 2)
    assert [row.title for row in page.items] == ["T0", "T2"]
    assert [row.assignee_name for row in page.items] == ["Ann", None]


def test_a_page_past_the_end_shows_the_last_one_and_filters_combine(app, listed):
    filters = TaskFilters(
        statuses=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS), assignee_id=listed["bob"]
    )
    with app.app_context():
        page = project_task_page(db.session, listed["project"], filters, page=99, per_page=25)
        unassigned = project_task_page(
            db.session, listed["project"], TaskFilters(unassigned=True), page=1, per_page=25
        )
    assert (page.page, page.total) == (1, 2)
    assert [(row.title, row.assignee_name, row.is_open) for row in page.items] == [
        ("T1", "bob", True),
        ("T3", "bob", True),
    ]
    assert [row.title for row in unassigned.items] == ["T2", "T6"]
    assert [row.is_open for row in unassigned.items] == [True, False]


def test_member_choices_are_sorted_by_name_whatever_the_case(app, listed):
    with app.app_context():
        choices = member_choices(db.session, listed["project"])
    assert [(c.user_id, c.name) for c in choices] == [
        (listed["ann"], "Ann"),
        (listed["bob"], "bob"),
    ]


def test_the_task_list_costs_a_fixed_eight_statements(client, auth, listed, count_queries):
    auth.login("ann@example.com")
    with count_queries() as statements:
        answer = client.get(f"/projects/{listed['project']}/tasks?status=pending&sort=priority")
    assert answer.status_code == 200
    # The user with the bell's count, the project with the role, the counts, the rows, the
    # assignee drop-down, the project's labels (filter), the rows' labels and their checklist
    # progress: nothing per task, per member, per label or per header link.
    assert len(statements) == 8, statements


def test_the_dashboard_costs_a_fixed_five_statements(client, auth, listed, count_queries):
    auth.login("bob@example.com")
    with count_queries() as statements:
        page = client.get("/").data.decode()
    # The user with the bell's count, the rows, their labels and their checklist progress.
    assert len(statements) == 5, statements
    assert "T1" in page and "T3" in page and "Launch" in page


def test_the_bell_is_counted_afresh_once_a_commit_expired_the_loaded_count(app, listed):
    with app.app_context():
        notify(listed["ann"], "You were assigned T0")
    loader = app.login_manager._user_callback
    with app.test_request_context("/"):
        user = loader(make_login_session(app, listed["ann"]))
        login_user(user)
        assert user.unread_notifications == 1
        assert unread_notifications() == {"unread_notifications": 1}
        notify(listed["ann"], "You were assigned T2")
        assert user.unread_notifications is None
        assert unread_notifications() == {"unread_notifications": 2}


def notify(user_id, message):
    db.session.add(
        Notification(
            user_id=user_id,
            kind=NotificationKind.ASSIGNED,
            message=message,
            created_at=utcnow(),
            in_app=True,
        )
    )
    db.session.commit()


def make_login_session(app, user_id):
    with app.app_context():
        row = UserSession(user_id=user_id)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_big_team_lists_look_names_up_by_key_not_by_scanning_every_person(app):
    """A join to users made PostgreSQL hash the whole users table for a 25-row page: 4.8 ms at
    10,000 people and growing with them. Looking each kept row's name up by key stays flat."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("query plans are PostgreSQL's; this run is on SQLite")
        with db.engine.begin() as conn:
            data.generate(conn, 3000, utcnow())
        project_id = db.session.scalar(select(Project.id).order_by(Project.id).limit(1))
        statements = {
            "task rows": task_rows_statement(project_id, TaskFilters(sort="due"), 2, 25),
            "member choices": member_choices_statement(project_id),
        }
        for name, statement in statements.items():
            compiled = statement.compile(dialect=db.engine.dialect)
            with db.engine.connect() as conn:
                plan = "\n".join(
                    row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
                )
            assert "Seq Scan on users" not in plan, f"{name}:\n{plan}"
