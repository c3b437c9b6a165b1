"""Admin › Jobs: the truth about task runs from the worker's signals, schedule edits, Retry."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.database import utcnow
from app.extensions import db
from app.operations.models import ScheduleSetting, TaskRun
from app.operations.task_runs import PAGE_SIZE, record_queued, redact
from app.tasks.demo_tasks import add, fail, flaky


@pytest.fixture
def admin(make, auth):
    user = make.user(email="boss@example.com", is_admin=True)
    auth.login("boss@example.com")
    return user


def wait_for_run(app, celery_id, states, timeout=20.0) -> TaskRun:
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            run = db.session.scalar(select(TaskRun).where(TaskRun.celery_id == celery_id))
            if run is not None and run.state in states:
                db.session.expunge(run)
                return run
        assert time.monotonic() < deadline, f"run {celery_id} never reached {states}: {run}"
        time.sleep(0.1)


def run_row(page: str, celery_id: str) -> str:
    match = re.search(rf'<tr id="run-\d+" data-celery-id="{celery_id}".*?</tr>', page, re.S)
    assert match, f"no row for {celery_id}"
    return match.group(0)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/jobs/generate-daily-report/schedule",
        "/admin/jobs/generate-daily-report/pause",
        "/admin/jobs/generate-daily-report/resume",
        "/admin/jobs/runs/1/retry",
    ],
)
def test_jobs_actions_are_for_admins_only(client, make, auth, url):
    make.user(email="plain@example.com")
    auth.login("plain@example.com")
    assert client.post(url, data={"crontab": "* * * * *"}).status_code == 403


@pytest.mark.worker
def test_page_shows_a_run_that_succeeded_one_that_retried_and_one_that_failed(
    app, client, admin, celery_worker
):
    ok = add.delay(2, 3)
    retried = flaky.delay(1)
    failed = fail.delay("the disk is full")
    assert ok.get(timeout=20) == 5
    assert retried.get(timeout=20) == "succeeded after 1 retries"
    with pytest.raises(RuntimeError):
        failed.get(timeout=20)
    succeeded = wait_for_run(app, ok.id, {"succeeded"})
    flaky_run = wait_for_run(app, retried.id, {"succeeded"})
    failed_run = wait_for_run(app, failed.id, {"failed"})

    assert succeeded.queue == "default" and succeeded.runtime_ms is not None
    assert succeeded.arguments == {"args": [2, 3], "kwargs": {}}
    assert flaky_run.retries == 1 and flaky_run.error == "RuntimeError: flaky: attempt 1"
    assert failed_run.error == "RuntimeError: the disk is full" and failed_run.retries == 0

    page = client.get("/admin/jobs").data.decode()
    assert 'data-state="succeeded"' in run_row(page, ok.id)
    row = run_row(page, retried.id)
    assert 'data-state="succeeded"' in row and '<td data-label="Retries">1</td>' in row
    row = run_row(page, failed.id)
    assert 'data-state="failed"' in row and "RuntimeError: the disk is full" in row
    assert "Retry" in row and "Retry" not in run_row(page, ok.id)

    failed_page = client.get("/admin/jobs?state=failed").data.decode()
    assert failed.id in failed_page and ok.id not in failed_page


@pytest.mark.worker
def test_retry_sends_a_failed_task_again_with_its_real_arguments(app, client, admin, celery_worker):
    secret_kwargs = {
        "password": "hunter2",
        "contact": "ann@example.com",
        "broker": "redis://:s3cret@cache.internal:6379/0",
        "note": "call bob@example.org",
    }
    failed = fail.delay("boom", **secret_kwargs)
    run = wait_for_run(app, failed.id, {"failed"})

    page = client.get("/admin/jobs").data.decode()
    row = run_row(page, failed.id)
    for secret in ("hunter2", "ann@example.com", "s3cret", "bob@example.org"):
        assert secret not in page
    assert "[redacted]" in row and "[email]" in row

    response = client.post(f"/admin/jobs/runs/{run.id}/retry", follow_redirects=True)
    assert b"sent again" in response.data
    new_id = re.search(rb"sent again \(job ([0-9a-f-]+)\)", response.data).group(1).decode()
    again = wait_for_run(app, new_id, {"failed"})
    assert again.name == "app.tasks.demo_tasks.fail"
    assert again.raw_arguments == {"args": ["boom"], "kwargs": secret_kwargs}
    assert again.error == "RuntimeError: boom"


def test_retry_refuses_a_run_that_did_not_fail(app, client, admin):
    with app.app_context():
        with db.engine.begin() as connection:
            record_queued(
                connection, "abc", "app.tasks.demo_tasks.add", "default", [1, 2], {}, utcnow()
            )
        run_id = db.session.scalar(select(TaskRun.id))
    response = client.post(f"/admin/jobs/runs/{run_id}/retry", follow_redirects=True)
    assert b"Only a failed run can be retried" in response.data
    assert client.post("/admin/jobs/runs/999999/retry").status_code == 302


def test_redaction_hides_secrets_by_key_and_emails_and_credentials_by_value():
    data = {
        "args": ["ann@example.com", "https://user:pw@example.com/x", "https://example.com/ok", 7],
        "kwargs": {
            "api_token": "t0k",
            "Password": "p",
            "nested": {"client_secret": "s"},
            "email": "x@y.io",
            "title": "Plan",
            "empty_password": "",
        },
    }
    assert redact(data) == {
        "args": ["[email]", "[redacted]", "https://example.com/ok", 7],
        "kwargs": {
            "api_token": "[redacted]",
            "Password": "[redacted]",
            "nested": {"client_secret": "[redacted]"},
            "email": "[redacted]",
            "title": "Plan",
            "empty_password": "",
        },
    }


def test_schedule_edit_is_validated_and_stored(app, client, admin):
    response = client.post(
        "/admin/jobs/generate-daily-report/schedule",
        data={"crontab": "61 * * * *"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and b"is not a valid crontab" in response.data
    response = client.post(
        "/admin/jobs/generate-daily-report/schedule",
        data={"crontab": "every day"},
        follow_redirects=True,
    )
    assert b"is not a valid crontab" in response.data or b"five fields" in response.data
    with app.app_context():
        assert db.session.get(ScheduleSetting, "generate-daily-report") is None

    response = client.post(
        "/admin/jobs/generate-daily-report/schedule",
        data={"crontab": " 30  6 * * 1 "},
        follow_redirects=True,
    )
    assert b"now runs on &#39;30 6 * * 1&#39;" in response.data
    assert "At 06:30, only on Monday" in client.get("/admin/jobs").data.decode()
    with app.app_context():
        setting = db.session.get(ScheduleSetting, "generate-daily-report")
        assert setting.crontab == "30 6 * * 1" and setting.updated_by_id == admin

    client.post("/admin/jobs/generate-daily-report/schedule", data={"reset": "1"})
    assert "At 07:00" in client.get("/admin/jobs").data.decode()
    assert (
        client.post("/admin/jobs/no-such-job/schedule", data={"crontab": "* * * * *"}).status_code
        == 404
    )


def test_page_lists_every_queue_with_its_depth_and_beat_tick(app, client, admin):
    from app.extensions import QUEUES

    page = client.get("/admin/jobs").data.decode()
    table = page[page.index('id="queue-depths"') : page.index("Recent runs")]
    for queue in QUEUES:
        assert f'<td data-label="Queue">{queue}</td>' in table
    assert re.search(r'data-depth="\d+"', table)
    assert "Beat has not run against this database yet" in page


def test_pause_and_resume_show_on_the_page(app, client, admin):
    client.post("/admin/jobs/precompute-analytics/pause")
    page = client.get("/admin/jobs").data.decode()
    assert 'id="job-precompute-analytics" data-paused="yes"' in page
    client.post("/admin/jobs/precompute-analytics/resume")
    page = client.get("/admin/jobs").data.decode()
    assert 'id="job-precompute-analytics" data-paused="no"' in page


def test_jobs_page_reads_many_runs_in_a_fixed_number_of_queries(app, client, admin, count_queries):
    def add_runs(start: int, count: int) -> None:
        with app.app_context(), db.engine.begin() as connection:
            for n in range(start, start + count):
                record_queued(
                    connection,
                    f"id-{n}",
                    "app.tasks.demo_tasks.add",
                    "default",
                    [n, n],
                    {},
                    utcnow(),
                )

    add_runs(0, 3)
    with count_queries() as few:
        assert client.get("/admin/jobs").status_code == 200
    add_runs(3, PAGE_SIZE * 2)
    with count_queries() as many:
        page = client.get("/admin/jobs?page=2").data.decode()
    assert len(many) == len(few)
    assert f"Page 2 of 3 ({PAGE_SIZE * 2 + 3} runs)" in page
    assert client.get("/admin/jobs?state=bogus&page=x").status_code == 200


def test_old_task_runs_are_deleted_after_the_retention_days(app):
    from datetime import timedelta

    from app.operations.jobs import cleanup_old_task_runs

    with app.app_context(), db.engine.begin() as connection:
        old = utcnow() - timedelta(days=app.config["TASK_RUN_RETENTION_DAYS"] + 1)
        record_queued(connection, "old", "app.tasks.demo_tasks.add", "default", [], {}, old)
        record_queued(connection, "new", "app.tasks.demo_tasks.add", "default", [], {}, utcnow())
    with app.app_context():
        assert cleanup_old_task_runs.run() == {"deleted": 1}
        assert db.session.scalars(select(TaskRun.celery_id)).all() == ["new"]


def job_row(page: str, job: str) -> str:
    match = re.search(rf'<tr id="job-{job}".*?</tr>', page, re.S)
    assert match, f"no row for job {job}"
    return match.group(0)


def last_run_cell(page: str, job: str) -> str:
    row = job_row(page, job)
    return row[row.index('class="job-run last-run"') :]


@pytest.mark.worker
def test_every_kind_of_scheduled_job_shows_its_last_run_after_the_worker_ran_it(
    app, client, admin, celery_worker, smtp
):
    from app.notifications.jobs import (
        check_task_deadlines,
        cleanup_expired_notifications,
        send_reminder_notifications,
    )
    from app.tasks.task_management import generate_task_report, send_task_reminders

    page = client.get("/admin/jobs").data.decode()
    assert "never" in last_run_cell(page, "check-task-deadlines")

    jobs = {
        "send-reminder-notifications": send_reminder_notifications.delay(),
        "check-task-deadlines": check_task_deadlines.delay(),
        "cleanup-expired-notifications": cleanup_expired_notifications.delay(),
        "send-task-reminders": send_task_reminders.delay(scheduled=True),
        "generate-daily-report": generate_task_report.delay(),
    }
    for result in jobs.values():
        result.get(timeout=30)
        wait_for_run(app, result.id, {"succeeded"})

    page = client.get("/admin/jobs").data.decode()
    for job in jobs:
        cell = last_run_cell(page, job)
        assert "never" not in cell, f"{job} ran but the page says never"
        assert '<span class="badge outcome-succeeded">succeeded</span>' in cell
    # A job that writes a summary of its run still shows it beside the run.
    assert "0 recipients in 0 chunks" in last_run_cell(page, "send-task-reminders")
    assert "sent to 1 admin<" in last_run_cell(page, "generate-daily-report")
    smtp.wait_for(1)  # the report itself, to the one admin


@pytest.mark.worker
@pytest.mark.parametrize(
    ("people", "chunk_size", "summary"),
    [(1, 100, "1 recipient in 1 chunk<"), (2, 1, "2 recipients in 2 chunks<")],
)
def test_the_last_run_counts_recipients_and_chunks_in_the_singular_and_the_plural(
    app, client, admin, make, celery_worker, smtp, monkeypatch, people, chunk_size, summary
):
    from app.tasks.task_management import send_task_reminders

    monkeypatch.setitem(app.config, "DIGEST_CHUNK_SIZE", chunk_size)
    project = make.project(admin)
    for _ in range(people):
        make.task(project, admin, assignee_id=make.user(), due_at=utcnow() + timedelta(hours=3))

    result = send_task_reminders.delay()
    assert result.get(timeout=30)["recipients"] == people
    wait_for_run(app, result.id, {"succeeded"})

    page = client.get("/admin/jobs").data.decode()
    assert summary in last_run_cell(page, "send-task-reminders")
    smtp.wait_for(people)  # the reminders themselves, before the next test empties the tables


@pytest.mark.worker
def test_the_last_run_of_the_report_says_admins_in_the_plural_for_two(
    app, client, admin, make, celery_worker, smtp
):
    from app.tasks.task_management import generate_task_report

    make.user(email="second-boss@example.com", is_admin=True)
    result = generate_task_report.delay()
    assert result.get(timeout=30)["admins"] == 2
    wait_for_run(app, result.id, {"succeeded"})

    page = client.get("/admin/jobs").data.decode()
    assert "sent to 2 admins<" in last_run_cell(page, "generate-daily-report")
    smtp.wait_for(2)


@pytest.mark.parametrize("url", ["/admin/jobs", "/admin/outbox", "/admin/reports"])
def test_a_non_admin_on_an_admin_page_is_told_only_admins_can_change_it(client, make, auth, url):
    make.user(email="plain@example.com")
    auth.login("plain@example.com")
    response = client.get(url)
    page = response.data.decode()
    assert response.status_code == 403
    assert "Only Tickler&#39;s admins can see and change this page" in page
    assert "project&#39;s owners" not in page
    answer = client.get(url, headers={"Accept": "application/json"})
    assert answer.status_code == 403 and "admins" in answer.get_json()["message"]


def test_recent_runs_fold_successful_housekeeping_runs_but_show_their_failures(app, client, admin):
    from app.operations.task_runs import record_finish

    flush = "app.tasks.operations.flush_pending_jobs"
    with app.app_context(), db.engine.begin() as connection:
        for n in range(30):
            record_queued(connection, f"flush-{n}", flush, "default", [], {}, utcnow())
            record_finish(connection, f"flush-{n}", flush, "succeeded", utcnow())
        record_queued(connection, "flush-bad", flush, "default", [], {}, utcnow())
        record_finish(connection, "flush-bad", flush, "failed", utcnow(), "OperationalError: x")
        record_queued(connection, "report", "app.tasks.demo_tasks.add", "default", [], {}, utcnow())

    page = client.get("/admin/jobs").data.decode()
    assert 'data-celery-id="flush-bad"' in page and 'data-celery-id="report"' in page
    assert 'data-celery-id="flush-3"' not in page
    assert "30 successful housekeeping runs are folded away" in page
    assert "Page 1 of 1 (2 runs)" in page

    shown = client.get("/admin/jobs?housekeeping=1").data.decode()
    assert 'data-celery-id="flush-29"' in shown and "Fold them away" in shown
    assert "Page 1 of 2 (32 runs)" in shown
    assert 'href="/admin/jobs?page=2&amp;housekeeping=1"' in shown
