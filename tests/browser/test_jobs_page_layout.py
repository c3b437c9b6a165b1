"""Admin › Jobs in a real browser with weeks' worth of runs: it fits 1280 px and a phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.core.database import utcnow
from app.extensions import db
from app.operations import task_runs
from app.operations.models import ScheduleSetting
from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
FLUSH = "app.tasks.operations.flush_pending_jobs"
DEADLINES = "app.tasks.notifications.check_task_deadlines"
WEBHOOK = "app.tasks.webhooks.deliver_webhook"


def seed_runs(app, minutes: int = 300) -> None:
    """A flush every minute, the hourly jobs, and a failure with a long error and arguments."""
    now = utcnow()
    with app.app_context(), db.engine.begin() as connection:
        for n in range(minutes):
            at = now - timedelta(minutes=n)
            names = [FLUSH] + ([DEADLINES] if n % 60 == 0 else [])
            for name in names:
                celery_id = f"{n:08d}-1a2b-4c3d-8e9f-{name[-12:]:>12}"
                task_runs.record_queued(connection, celery_id, name, "default", [], {}, at)
                task_runs.record_state(connection, celery_id, name, "started", at, started_at=at)
                task_runs.record_finish(connection, celery_id, name, "succeeded", at)
        long_args = {"subject": "A" * 120, "to": "someone.with.a.long.address@example.com"}
        failed = "f" * 36
        task_runs.record_queued(connection, failed, WEBHOOK, "webhooks", [12345], long_args, now)
        task_runs.record_state(connection, failed, WEBHOOK, "started", now, started_at=now)
        task_runs.record_finish(
            connection,
            failed,
            WEBHOOK,
            "failed",
            now,
            "ConnectionError: " + "https://hooks.example.com/a/very/long/path/" * 4,
        )


# One of cron-descriptor's longest sentences, set on the page for the report job.
LONG_CRONTAB = "0 8-17/2 * * 1-5"
LONG_WORDS = "Every 2 hours, between 08:00 and 17:59, Monday through Friday"


def edit_schedule(app, job: str, crontab: str) -> None:
    with app.app_context():
        db.session.add(ScheduleSetting(job=job, crontab=crontab))
        db.session.commit()


def log_in_as_admin(page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "boss@example.com")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button:has-text('Log in')")


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_jobs_page_fits_the_screen_with_many_runs(live_server, page, app, make, width, height):
    make.user(email="boss@example.com", name="Boss", is_admin=True)
    seed_runs(app)
    edit_schedule(app, "generate-daily-report", LONG_CRONTAB)
    page.set_viewport_size({"width": width, "height": height})
    log_in_as_admin(page, live_server)
    page.goto(f"{live_server}/admin/jobs")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"admin-jobs-{width}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"admin-jobs-{width}-top.png"))
    page.locator("#task-runs").screenshot(path=str(ARTIFACTS / f"admin-jobs-{width}-runs.png"))
    schedules = page.locator("#scheduled-jobs")
    schedules.screenshot(path=str(ARTIFACTS / f"admin-jobs-{width}-schedules.png"))

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every table stays inside the page's column, not just inside the window.
    column = page.locator("main.page").evaluate(
        "e => e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).paddingRight)"
    )
    for table in ("#scheduled-jobs", "#queue-depths", "#task-runs"):
        right = page.locator(table).evaluate("e => e.getBoundingClientRect().right")
        assert right <= column + 1, f"{table} sticks out of the page at {width} px"
    # The schedule in words (cron-descriptor's, some long) wraps inside its own cell.
    cell = page.locator("#job-generate-daily-report td[data-label=Schedule]")
    assert LONG_WORDS in cell.inner_text()
    overflowing = schedules.locator("td[data-label=Schedule]").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth).length"
    )
    assert overflowing == 0
    # The crontab inputs stay wide enough to read and edit a five-field crontab.
    box = page.locator("#crontab-send-task-reminders").bounding_box()
    assert box is not None and box["width"] >= 110
    # Dates stay on one line: an inline box broken over lines has one rectangle per line.
    dates = page.locator("#scheduled-jobs .nowrap, #task-runs .nowrap")
    assert dates.count() > 20
    assert set(dates.evaluate_all("es => es.map(e => e.getClientRects().length)")) == {1}
    # Housekeeping runs are folded away: the failed webhook and the hourly job remain.
    assert page.locator("#task-runs tbody tr").count() == 6
