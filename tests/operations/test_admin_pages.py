"""Admin pages: jobs, reports, failed emails, and the guide's send-reminders route."""

from __future__ import annotations

import pytest

from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.extensions import db


@pytest.fixture
def admin(make, auth):
    user = make.user(email="boss@example.com", is_admin=True)
    auth.login("boss@example.com")
    return user


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/jobs"),
        ("get", "/admin/reports"),
        ("get", "/admin/deliveries"),
        ("post", "/admin/send-reminders"),
        ("post", "/admin/jobs/send-task-reminders/run"),
        ("post", "/admin/deliveries/1/resend"),
    ],
)
def test_admin_pages_are_for_admins_only(client, make, auth, method, url):
    make.user(email="plain@example.com")
    auth.login("plain@example.com")
    assert getattr(client, method)(url).status_code == 403


def test_jobs_page_lists_every_scheduled_job_with_its_schedule_and_next_run(client, admin):
    page = client.get("/admin/jobs").data.decode()
    for name in (
        "generate-daily-report",
        "send-task-reminders",
        "check-overdue-tasks-daily",
        "send-weekly-summary",
        "cleanup-completed-tasks",
    ):
        assert name in page
    assert "At 07:00" in page and "At 02:00, only on Sunday" in page
    assert "at 8:00 their time" in page
    assert "never" in page


@pytest.mark.worker
def test_run_now_runs_the_job_and_the_page_shows_its_outcome(client, admin, celery_worker):
    import time

    response = client.post("/admin/jobs/cleanup-completed-tasks/run", follow_redirects=True)
    assert b"cleanup-completed-tasks queued" in response.data
    deadline = time.monotonic() + 15
    # The page also links a "succeeded" filter of task runs: wait for the job's own outcome.
    while 'outcome-succeeded">succeeded</span> <span class="muted">archived 0, deleted 0' not in (
        client.get("/admin/jobs").data.decode()
    ):
        assert time.monotonic() < deadline, "the run never showed up"
        time.sleep(0.2)


@pytest.mark.worker
def test_send_reminders_route_queues_the_job_as_the_guide_does(client, admin, celery_worker):
    response = client.post("/admin/send-reminders", headers={"Accept": "application/json"})
    assert response.status_code == 202
    assert response.json["message"] == "Reminder sending queued"
    html = client.post("/admin/send-reminders", follow_redirects=True)
    assert b"Reminder sending queued" in html.data


def test_unknown_job_is_not_found(client, admin):
    assert client.post("/admin/jobs/no-such-job/run").status_code == 404


@pytest.mark.worker
def test_failed_email_is_listed_and_resent(app, client, admin, celery_worker, smtp, make):
    with app.app_context():
        db.session.add(
            Delivery(
                recipient_id=admin,
                kind=EmailKind.DAILY_REPORT,
                period="2026-11-20",
                status=DeliveryStatus.FAILED,
                attempts=5,
                last_error="550 5.1.1 mailbox unavailable",
            )
        )
        db.session.commit()
        delivery_id = db.session.query(Delivery.id).scalar()
    page = client.get("/admin/deliveries").data.decode()
    assert "550 5.1.1 mailbox unavailable" in page and "boss@example.com" in page
    client.post(f"/admin/deliveries/{delivery_id}/resend")
    import time

    deadline = time.monotonic() + 15
    while True:
        with app.app_context():
            status = db.session.get(Delivery, delivery_id).status
        if status != DeliveryStatus.RETRYING and status != DeliveryStatus.SENDING:
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    # No stored report for that day: the resend settles as having nothing to say.
    assert status == DeliveryStatus.SKIPPED
