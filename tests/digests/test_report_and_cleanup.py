"""The daily report and the cleanup job, through the real worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from app.core.database import utcnow
from app.tasklist.models import Task, TaskPriority, TaskStatus
from app.tasks.task_management import (
    cleanup_completed_tasks,
    generate_task_report,
    send_task_reminders,
)
from tests.jobs_helpers import run_job

pytestmark = pytest.mark.worker


def test_daily_report_counts_stores_shows_and_emails_admins_only(
    app, celery_worker, smtp, make, auth, client
):
    now = utcnow()
    admin = make.user(email="boss@example.com", is_admin=True)
    worker = make.user(email="worker@example.com")
    launch = make.project(admin, name="Launch", members=(worker,))
    ops = make.project(admin, name="Ops")
    make.task(
        launch,
        admin,
        status=TaskStatus.PENDING,
        priority=TaskPriority.HIGH,
        due_at=now - timedelta(days=1),
    )
    make.task(launch, admin, status=TaskStatus.IN_PROGRESS, priority=TaskPriority.CRITICAL)
    make.task(ops, admin, status=TaskStatus.COMPLETED, completed_at=now - timedelta(days=1))
    make.task(ops, admin, status=TaskStatus.BLOCKED, priority=TaskPriority.LOW, archived_at=now)

    result = run_job(app, generate_task_report)
    report = result["report"]
    assert report["by_status"] == {"pending": 1, "in_progress": 1, "completed": 1, "blocked": 0}
    assert report["open"] == 2 and report["overdue"] == 1
    assert report["open_by_priority"] == {"critical": 1, "high": 1, "medium": 0, "low": 0}
    assert {row["project"]: row["open"] for row in report["by_project"]} == {"Launch": 2, "Ops": 0}
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["boss@example.com"]
    assert message["Subject"].startswith("Daily task report for ")
    assert "Launch: 2 / 1 / 2" in message.get_body(("plain",)).get_content()

    auth.login("boss@example.com")
    page = client.get("/admin/reports").data.decode()
    assert "Overdue" in page and "Launch" in page
    # Running it again the same day refreshes the report but sends nothing new.
    run_job(app, generate_task_report)
    assert len(smtp.messages) == 1


def test_cleanup_archives_old_completed_tasks_and_keeps_them_readable(
    app, celery_worker, make, auth, client
):
    now = utcnow()
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    old = make.task(
        project,
        owner,
        title="Old win",
        status=TaskStatus.COMPLETED,
        completed_at=now - timedelta(days=31),
    )
    recent = make.task(
        project,
        owner,
        title="Fresh win",
        status=TaskStatus.COMPLETED,
        completed_at=now - timedelta(days=3),
    )
    open_task = make.task(project, owner, title="Still open")

    assert cleanup_completed_tasks.delay().get(timeout=15) == {"archived": 1, "deleted": 0}
    assert make.get(Task, old).archived_at is not None
    assert make.get(Task, recent).archived_at is None
    assert make.get(Task, open_task).archived_at is None

    auth.login("own@example.com")
    listing = client.get(f"/projects/{project}/tasks").data.decode()
    assert "Old win" not in listing and "Fresh win" in listing
    archive = client.get(f"/projects/{project}/archive").data.decode()
    assert "Old win" in archive
    assert "Old win" in client.get(f"/task/{old}").data.decode(), "archived tasks stay readable"
    client.post(f"/task/{old}/restore")
    assert make.get(Task, old).archived_at is None
    assert "Old win" in client.get(f"/projects/{project}/tasks").data.decode()


def test_cleanup_deletes_nothing_unless_an_operator_opts_in(app, celery_worker, make):
    now = utcnow()
    owner = make.user()
    project = make.project(owner)
    ancient = make.task(
        project,
        owner,
        status=TaskStatus.COMPLETED,
        completed_at=now - timedelta(days=400),
        archived_at=now - timedelta(days=300),
    )
    assert cleanup_completed_tasks.delay().get(timeout=15)["deleted"] == 0
    assert make.get(Task, ancient) is not None
    app.config["CLEANUP_DELETE_AFTER_DAYS"] = 180
    try:
        assert cleanup_completed_tasks.delay().get(timeout=15)["deleted"] == 1
    finally:
        app.config["CLEANUP_DELETE_AFTER_DAYS"] = None
    assert make.get(Task, ancient) is None


def test_beat_tick_sends_only_to_people_whose_local_hour_has_come(app, celery_worker, smtp, make):
    # 23:00 UTC is 08:00 the next morning in Tokyo, but 04:30 in Kolkata.
    with time_machine.travel("2026-11-24 23:00:00+00:00", tick=True):
        now = utcnow()
        tokyo = make.user(email="tokyo@example.com", timezone="Asia/Tokyo")
        kolkata = make.user(email="kolkata@example.com", timezone="Asia/Kolkata")
        project = make.project(tokyo, members=(kolkata,))
        for person in (tokyo, kolkata):
            make.task(project, person, assignee_id=person, due_at=now + timedelta(hours=6))
        result = run_job(app, send_task_reminders, scheduled=True)
    assert result["user_ids"] == [tokyo]
    assert [m.envelope_recipients for m in smtp.wait_for(1)] == [["tokyo@example.com"]]
    with time_machine.travel("2026-11-25 02:30:00+00:00", tick=True):
        result = run_job(app, send_task_reminders, scheduled=True)
    assert result["user_ids"] == [kolkata]
    assert len(smtp.wait_for(2)) == 2


def test_the_overdue_listing_names_the_longest_overdue_first_and_counts_the_rest(app, make):
    from app.digests.reports import overdue_listing
    from app.extensions import db

    now = utcnow()
    ann = make.user(email="ann@example.com", name="Ann")
    project = make.project(ann)
    for days, title in ((1, "Late"), (5, "Very late"), (3, "Rather late")):
        make.task(project, ann, title=title, assignee_id=ann, due_at=now - timedelta(days=days))
    make.task(project, ann, title="On time", assignee_id=ann, due_at=now + timedelta(days=1))
    with app.app_context():
        lines, total = overdue_listing(db.session, now, limit=2)
    assert total == 3
    assert ["'Very late'" in lines[0], "'Rather late'" in lines[1]] == [True, True]
