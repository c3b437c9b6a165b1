"""Analytics jobs through the real worker: snapshots stored, upserted, and fanned out."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.analytics.jobs import (
    compute_project_analytics,
    compute_user_analytics,
    precompute_analytics,
)
from app.analytics.models import AnalyticsScope, AnalyticsSnapshot
from app.analytics.queries import compute_snapshot, read_snapshot
from app.core.database import utcnow
from app.extensions import db
from app.tasklist.models import TaskStatus
from tests.analytics.test_rules import NOW
from tests.analytics_fixture import add_fixture_tasks
from tests.operations.test_admin_scripts import line_for, run, settings


@pytest.fixture
def env_for_scripts(app, database_url, smtp) -> dict[str, str]:
    return settings(database_url, smtp.port)


def snapshot(app, scope, scope_id):
    with app.app_context():
        row = read_snapshot(db.session, scope, scope_id)
        if row is not None:
            db.session.expunge(row)
        return row


def test_the_worker_stores_the_hand_computed_numbers_and_the_page_shows_them(
    app, client, make, auth, celery_worker
):
    ann = make.user(email="ann@example.com")
    bob = make.user(email="bob@example.com")
    project = make.project(ann, name="Launch", members=(bob,))
    add_fixture_tasks(app, make, project, ann, assignee_id=bob)

    result = compute_project_analytics.delay(project, as_of=NOW.isoformat()).get(timeout=30)
    assert result == {"project": project, "tasks": 12}
    data = snapshot(app, AnalyticsScope.PROJECT, project).data
    assert data["completed_per_week"] == [1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 2]
    assert data["open"] == [3, 2, 2, 4, 3, 2, 3, 3, 3, 4, 4, 4]
    assert data["overdue"] == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3]
    assert data["median_completion_seconds"] == 7 * 86400
    assert (data["on_time"], data["with_due"]) == (3, 5)
    assert data["by_status"] == {"pending": 2, "in_progress": 1, "completed": 8, "blocked": 1}
    assert data["by_priority"] == {"low": 1, "medium": 9, "high": 1, "critical": 1}

    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/analytics").data.decode()
    assert "Computed <time" in page and "just now" in page
    assert "7 days" in page and "60%" in page and "3 of 5 with a due date" in page
    assert "Launch: tasks completed per week" in page
    assert '<th scope="row">23 Nov</th><td>2</td>' in page  # the bar chart's table
    assert '<th scope="row">23 Nov</th><td>4</td><td>3</td>' in page  # open, overdue

    # Bob has all twelve assigned: his own page has the same numbers.
    compute_user_analytics.delay(bob, as_of=NOW.isoformat()).get(timeout=30)
    mine = snapshot(app, AnalyticsScope.USER, bob).data
    assert mine["completed_per_week"] == data["completed_per_week"]
    assert snapshot(app, AnalyticsScope.USER, ann) is None


def test_project_weeks_start_in_the_owners_zone_and_personal_weeks_in_the_persons(app, make):
    owner = make.user(timezone="America/New_York")
    member = make.user(timezone="Asia/Tokyo")
    project = make.project(owner, members=(member,))
    # Sunday 22 Nov 2026 23:30 in New York is already Monday 23 Nov in Tokyo (and UTC).
    make.task(
        project,
        owner,
        assignee_id=member,
        status=TaskStatus.COMPLETED,
        completed_at=datetime(2026, 11, 23, 4, 30, tzinfo=UTC),
    )
    with app.app_context():
        compute_snapshot(db.session, AnalyticsScope.PROJECT, project, NOW)
        compute_snapshot(db.session, AnalyticsScope.USER, member, NOW)
        db.session.commit()
    by_owner = snapshot(app, AnalyticsScope.PROJECT, project).data
    by_member = snapshot(app, AnalyticsScope.USER, member).data
    assert by_owner["timezone"] == "America/New_York"
    assert by_owner["completed_per_week"][-2:] == [1, 0]  # the week of 16 Nov, New York time
    assert by_member["timezone"] == "Asia/Tokyo"
    assert by_member["completed_per_week"][-2:] == [0, 1]  # the week of 23 Nov, Tokyo time


def test_recomputing_replaces_the_snapshot(app, make):
    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    with app.app_context():
        compute_snapshot(db.session, AnalyticsScope.PROJECT, project, NOW)
        db.session.commit()
    make.task(project, ann)
    with app.app_context():
        compute_snapshot(db.session, AnalyticsScope.PROJECT, project, utcnow())
        db.session.commit()
        rows = db.session.scalars(select(AnalyticsSnapshot)).all()
        assert [(row.scope, row.scope_id, row.data["total"]) for row in rows] == [
            (AnalyticsScope.PROJECT, project, 2)
        ]


def test_a_deleted_project_leaves_no_snapshot(app, celery_worker):
    assert compute_project_analytics.delay(999999).get(timeout=30) == {
        "project": 999999,
        "missing": True,
    }
    assert snapshot(app, AnalyticsScope.PROJECT, 999999) is None


def test_computing_takes_five_queries_whatever_the_number_of_tasks(app, make, count_queries):
    ann = make.user()
    small, big = make.project(ann), make.project(ann)
    make.task(small, ann)
    for _ in range(30):
        make.task(big, ann, assignee_id=ann)
    counts = []
    for project in (small, big):
        with app.app_context(), count_queries() as statements:
            compute_snapshot(db.session, AnalyticsScope.PROJECT, project, utcnow())
            db.session.commit()
        counts.append(len(statements))
    # The owner's zone, the counts by status and priority, the counts by label, the streamed
    # moments, the upsert.
    assert counts == [5, 5]


def stored_scopes(app) -> set[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(select(AnalyticsSnapshot.scope, AnalyticsSnapshot.scope_id))
        return {(scope.value, scope_id) for scope, scope_id in rows}


def wait_for_scopes(app, wanted: set[tuple[str, int]], timeout: float = 30.0) -> set:
    """Wait until the worker has stored exactly `wanted`, so no job outlives the test."""
    deadline = time.monotonic() + timeout
    while (stored := stored_scopes(app)) != wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return stored


def test_precompute_fans_out_to_projects_and_people_with_tasks(app, make, celery_worker):
    ann, bob, idle = make.user(), make.user(), make.user()
    first, second, empty = make.project(ann), make.project(bob), make.project(idle)
    make.task(first, ann, assignee_id=bob)
    make.task(second, bob)

    result = precompute_analytics.delay().get(timeout=30)
    assert result == {"projects": 2, "people": 1}
    stored = wait_for_scopes(app, {("project", first), ("project", second), ("user", bob)})
    assert stored == {("project", first), ("project", second), ("user", bob)}
    assert ("project", empty) not in stored


def test_precompute_queries_do_not_grow_with_projects(app, make, celery_worker, count_queries):
    ann = make.user()
    projects, people = [make.project(ann)], [ann]
    make.task(projects[0], ann, assignee_id=ann)
    with app.app_context(), count_queries() as few:
        precompute_analytics.apply().get()
    for _ in range(5):
        projects.append(make.project(ann))
        people.append(make.user())
        make.task(projects[-1], ann, assignee_id=people[-1])
    with app.app_context(), count_queries() as many:
        assert precompute_analytics.apply().get() == {"projects": 6, "people": 6}
    assert len(many) == len(few)
    wanted = {("project", p) for p in projects} | {("user", u) for u in people}
    assert wait_for_scopes(app, wanted) == wanted


def test_celery_utils_lists_the_analytics_jobs_and_runs_one_by_hand(app, make, env_for_scripts):
    listing = run("celery_utils.py", "--list-tasks", env=env_for_scripts)
    assert listing.returncode == 0, listing.stderr
    precompute = line_for(listing.stdout, "app.tasks.analytics.precompute_analytics")
    assert " analytics " in precompute and "Every 30 minutes" in precompute
    assert " analytics " in line_for(listing.stdout, "app.tasks.analytics.compute_user_analytics")

    ann = make.user()
    project = make.project(ann)
    make.task(project, ann)
    ran = run(
        "celery_utils.py",
        "--run-task",
        "compute_project_analytics",
        "--args",
        f"[{project}]",
        env=env_for_scripts,
    )
    assert ran.returncode == 0, ran.stderr
    assert snapshot(app, AnalyticsScope.PROJECT, project).data["total"] == 1
