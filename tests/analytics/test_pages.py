"""Analytics pages: who may see them, the cache they read, and what they say."""

from __future__ import annotations

import time

from kombu.exceptions import OperationalError

from app.analytics import jobs as analytics_tasks
from app.analytics.models import AnalyticsScope
from app.analytics.queries import compute_snapshot, read_snapshot
from app.core.database import utcnow
from app.extensions import db

OPEN_NOW = '<span class="stat-number">{}</span><span class="stat-label">open now'


def compute(app, scope, scope_id, at=None):
    with app.app_context():
        compute_snapshot(db.session, scope, scope_id, at or utcnow())
        db.session.commit()


def has_snapshot(app, scope, scope_id) -> bool:
    with app.app_context():
        return read_snapshot(db.session, scope, scope_id) is not None


def test_members_see_project_analytics_and_outsiders_get_404(app, client, make, auth):
    ann, bob = make.user(email="ann@example.com"), make.user(email="bob@example.com")
    make.user(email="eve@example.com")
    project = make.project(ann, name="Launch", members=(bob,))
    make.task(project, ann)
    compute(app, AnalyticsScope.PROJECT, project)
    assert client.get(f"/projects/{project}/analytics").status_code == 302  # to the login page
    assert "/login" in client.get("/analytics/me").location
    auth.login("bob@example.com")
    assert client.get(f"/projects/{project}/analytics").status_code == 200
    auth.logout()
    auth.login("eve@example.com")
    assert client.get(f"/projects/{project}/analytics").status_code == 404
    assert client.post(f"/projects/{project}/analytics/refresh").status_code == 404
    assert client.get("/projects/999999/analytics").status_code == 404


def test_the_project_page_and_dashboard_link_to_analytics(app, client, make, auth):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    auth.login("ann@example.com")
    assert f"/projects/{project}/analytics" in client.get(f"/projects/{project}/tasks").text
    assert "/analytics/me" in client.get("/").text


def test_without_a_snapshot_the_page_says_so_and_the_worker_fills_the_cache(
    app, client, make, auth, celery_worker
):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    make.task(project, ann, assignee_id=ann)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/analytics").text
    assert "The numbers are being computed" in page
    deadline = time.monotonic() + 30
    while not has_snapshot(app, AnalyticsScope.PROJECT, project):
        assert time.monotonic() < deadline, "the page never queued the computation"
        time.sleep(0.1)
    assert "Computed <time" in client.get(f"/projects/{project}/analytics").text

    assert "being computed" in client.get("/analytics/me").text
    deadline = time.monotonic() + 30
    while not has_snapshot(app, AnalyticsScope.USER, ann):
        assert time.monotonic() < deadline, "the page never queued the computation"
        time.sleep(0.1)
    assert "My tasks: tasks completed per week" in client.get("/analytics/me").text


def test_broker_down_the_page_still_answers_and_says_so(app, client, make, auth, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("broker down")

    monkeypatch.setattr(analytics_tasks.compute_project_analytics, "delay", refuse)
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/analytics")
    assert page.status_code == 200
    assert "could not be queued" in page.text
    refreshed = client.post(f"/projects/{project}/analytics/refresh", follow_redirects=True)
    assert refreshed.status_code == 200 and "try again in a minute" in refreshed.text


def test_refresh_queues_a_recompute_for_the_right_scope(app, client, make, auth, monkeypatch):
    queued = []
    monkeypatch.setattr(
        analytics_tasks.compute_project_analytics, "delay", lambda *a: queued.append(("p", *a))
    )
    monkeypatch.setattr(
        analytics_tasks.compute_user_analytics, "delay", lambda *a: queued.append(("u", *a))
    )
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    auth.login("ann@example.com")
    response = client.post(f"/projects/{project}/analytics/refresh")
    assert response.status_code == 302 and response.location.endswith(
        f"/projects/{project}/analytics"
    )
    client.post("/analytics/me/refresh")
    assert queued == [("p", project), ("u", ann)]
    assert client.get("/analytics/me/refresh").status_code == 405


def test_page_queries_do_not_grow_with_tasks(app, client, make, auth, count_queries):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    make.task(project, ann, assignee_id=ann)
    compute(app, AnalyticsScope.PROJECT, project)
    compute(app, AnalyticsScope.USER, ann)
    auth.login("ann@example.com")
    with count_queries() as few:
        assert client.get(f"/projects/{project}/analytics").status_code == 200
    with count_queries() as few_mine:
        assert client.get("/analytics/me").status_code == 200
    for _ in range(25):
        make.task(project, ann, assignee_id=ann, due_at=utcnow())
    compute(app, AnalyticsScope.PROJECT, project)
    compute(app, AnalyticsScope.USER, ann)
    with count_queries() as many:
        page = client.get(f"/projects/{project}/analytics").text
    with count_queries() as many_mine:
        client.get("/analytics/me")
    assert OPEN_NOW.format(26) in page
    assert len(many) == len(few) and len(many_mine) == len(few_mine)
    assert not any("FROM tasks" in statement for statement in many + many_mine)


def test_a_project_called_script_is_escaped_in_the_charts(app, client, make, auth):
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="<script>alert(1)</script>")
    make.task(project, ann)
    compute(app, AnalyticsScope.PROJECT, project)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/analytics").text
    assert "<script>alert(1)</script>" not in page
    assert 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt;: tasks completed per week"' in page


def test_my_page_counts_only_tasks_assigned_to_me(app, client, make, auth):
    ann, bob = make.user(email="ann@example.com"), make.user(email="bob@example.com")
    project = make.project(ann, members=(bob,))
    make.task(project, ann, assignee_id=ann)
    for _ in range(3):
        make.task(project, ann, assignee_id=bob)
    compute(app, AnalyticsScope.USER, ann)
    compute(app, AnalyticsScope.USER, bob)
    with app.app_context():
        assert read_snapshot(db.session, AnalyticsScope.USER, ann).data["total"] == 1
        assert read_snapshot(db.session, AnalyticsScope.USER, bob).data["total"] == 3
    auth.login("bob@example.com")
    assert OPEN_NOW.format(3) in client.get("/analytics/me").text


def test_the_project_page_charts_open_tasks_by_label(app, client, make, auth):
    from app.labels.service import create_label, set_task_labels
    from app.tasklist.models import Task, TaskStatus

    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    open_task = make.task(project, ann)
    done_task = make.task(project, ann, status=TaskStatus.COMPLETED, completed_at=utcnow())
    trashed = make.task(project, ann)
    with app.app_context():
        db.session.get(Task, trashed).deleted_at = utcnow()
        bug = create_label(db.session, project, "bug", "#b3261e")
        long_name = create_label(db.session, project, "customer-reported-regression", "#00695c")
        for task_id in (open_task, done_task, trashed):
            task = db.session.get(Task, task_id)
            set_task_labels(db.session, task, [bug.id, long_name.id], actor_id=ann)
        db.session.commit()
    compute(app, AnalyticsScope.PROJECT, project)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{project}/analytics").text
    assert "Launch: open tasks by label" in page
    # One open task (the completed one is done, the trashed one is not counted at all).
    assert "bug: 1 open task" in page
    assert "customer-re…" in page and "customer-reported-regression: 1 open task" in page


def test_a_snapshot_made_before_labels_existed_shows_no_label_chart(app, client, make, auth):
    from sqlalchemy import update

    from app.analytics.models import AnalyticsSnapshot

    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    make.task(project, ann)
    compute(app, AnalyticsScope.PROJECT, project)
    with app.app_context():
        snapshot = read_snapshot(db.session, AnalyticsScope.PROJECT, project)
        assert snapshot is not None
        old = {key: value for key, value in snapshot.data.items() if key != "by_label"}
        db.session.execute(
            update(AnalyticsSnapshot).where(AnalyticsSnapshot.id == snapshot.id).values(data=old)
        )
        db.session.commit()
    auth.login("ann@example.com")
    answer = client.get(f"/projects/{project}/analytics")
    assert answer.status_code == 200
    assert "open tasks by label" not in answer.text
