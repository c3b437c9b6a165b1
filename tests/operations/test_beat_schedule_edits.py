"""Beat follows the Jobs page (edits and pauses, no restart), records its ticks; queue depths."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from celery import Celery
from celery.schedules import crontab

from app.core.database import utcnow
from app.extensions import db
from app.operations import schedule_settings
from app.operations.beat_scheduler import DatabaseScheduler
from app.operations.queue_depths import queue_depths
from tests.processes import running, shared_clock_at, tickler_env
from tests.services_available import (
    REDIS_HOST,
    REDIS_PORT,
    port_open,
    redis_available,
    require,
)

# A Redis database of its own: beat's messages never reach the in-process test worker.
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/12"
BEFORE_A_MINUTE = datetime(2026, 12, 7, 10, 29, 45, tzinfo=UTC)
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def admin(make, auth):
    user = make.user(email="boss@example.com", is_admin=True)
    auth.login("boss@example.com")
    return user


@pytest.fixture
def scheduler_for(tmp_path):
    made: list[DatabaseScheduler] = []

    def build(flask_app):
        scheduler = DatabaseScheduler(
            app=flask_app.extensions["celery"], schedule_filename=str(tmp_path / "s"), lazy=False
        )
        made.append(scheduler)
        return scheduler

    yield build
    for scheduler in made:
        scheduler.close()


def test_database_edits_win_over_config_and_paused_jobs_leave_the_schedule(make_app, scheduler_for):
    flask_app = make_app(
        CELERY_SCHEDULE_OVERRIDES={
            "generate-daily-report": "0 6 * * *",
            "cleanup-completed-tasks": "0 3 * * 0",
        }
    )
    with flask_app.app_context():
        schedule_settings.set_crontab(db.session, "generate-daily-report", "5 4 * * *", None)
        schedule_settings.set_paused(db.session, "precompute-analytics", True, None)
        db.session.commit()

    scheduler = scheduler_for(flask_app)
    entries = scheduler.schedule
    assert entries["generate-daily-report"].schedule == crontab(minute="5", hour="4")
    assert entries["cleanup-completed-tasks"].schedule == crontab(
        minute="0", hour="3", day_of_week="0"
    )
    assert entries["cleanup-expired-exports"].schedule == crontab(minute="15")
    assert "precompute-analytics" not in entries
    with flask_app.app_context():
        tick = schedule_settings.last_beat_tick(db.session)
    assert tick is not None and utcnow() - tick < timedelta(seconds=30)

    with flask_app.app_context():
        schedule_settings.set_paused(db.session, "precompute-analytics", False, None)
        schedule_settings.set_crontab(db.session, "generate-daily-report", None, None)
        db.session.commit()
    scheduler.refresh()
    assert "precompute-analytics" in scheduler.schedule
    assert scheduler.schedule["generate-daily-report"].schedule == crontab(minute="0", hour="6")


def test_a_paused_job_is_never_sent_even_when_due(make_app, scheduler_for):
    flask_app = make_app()
    scheduler = scheduler_for(flask_app)
    with flask_app.app_context():
        schedule_settings.set_paused(db.session, "cleanup-expired-exports", True, None)
        db.session.commit()
    scheduler.refresh()
    sent: list[str] = []
    scheduler.apply_entry = lambda entry, producer=None: sent.append(entry.name)
    long_ago = scheduler.app.now() - timedelta(days=8)
    for entry in scheduler.schedule.values():
        entry.last_run_at = long_ago
    scheduler._heap = None
    for _ in range(len(scheduler.schedule) + 2):
        scheduler.tick()
    assert "generate-daily-report" in sent
    assert "cleanup-expired-exports" not in sent


@pytest.mark.worker
def test_a_schedule_edited_on_the_page_changes_when_the_beat_process_runs_it(
    client, make, auth, database_url, tmp_path
):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    # Beat and the page share a clock that starts 15 s before a minute (not :15, the job's own
    # time): the edited job's first run comes within seconds of start-up, not up to a minute.
    with shared_clock_at(BEFORE_A_MINUTE) as clock:
        env = tickler_env(
            database_url,
            BROKER,
            BEAT_SCHEDULE_REFRESH_SECONDS="1",
            HOME=str(tmp_path),
            **clock,
        )
        # Signed in on the shared clock: a session from the run's own (a year ahead, under
        # make test-clock) would be one from the future.
        make.user(email="boss@example.com", is_admin=True)
        auth.login("boss@example.com")
        command = ["-m", "celery", "-A", "celery_worker", "beat", "--loglevel=info"]
        sent = "Sending due task cleanup-expired-exports"
        with running([*command, "-s", str(tmp_path / "beat-schedule")], env) as beat:
            beat.wait_for("beat: schedule loaded", timeout=60)
            # Left alone it runs at :15 past the hour; edited on the page, every minute.
            client.post(
                "/admin/jobs/cleanup-expired-exports/schedule", data={"crontab": "* * * * *"}
            )
            beat.wait_for(sent, timeout=75)
            client.post("/admin/jobs/cleanup-expired-exports/pause")
            beat.wait_for("paused: cleanup-expired-exports", timeout=15)
            sends = beat.output.count(sent)
            assert "Beat last checked the schedule at" in client.get("/admin/jobs").data.decode()
    assert sends == 1
    assert "Traceback" not in beat.output


def test_queue_depths_sum_every_priority_list_on_redis():
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    client = Celery(broker=f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
    client.conf.broker_transport_options = {
        "global_keyprefix": f"tickler-depth-{uuid.uuid4().hex[:8]}:",
        "priority_steps": list(range(10)),
        "sep": ":",
        "queue_order_strategy": "priority",
    }
    for priority in (0, 5, 9):
        client.send_task(
            "app.tasks.exports.cleanup_expired_exports", queue="exports", priority=priority
        )
    client.send_task("app.tasks.demo_tasks.ping", queue="default")
    try:
        depths = queue_depths(client)
        assert depths["exports"] == 3 and depths["default"] == 1
        assert depths["notifications"] == 0
    finally:
        with client.connection_for_write() as connection:
            for queue in ("exports", "default"):
                connection.default_channel.queue_purge(queue)


def test_queue_depths_are_unknown_when_the_broker_is_down():
    client = Celery(broker="redis://127.0.0.1:1/0")
    client.conf.broker_connection_timeout = 1
    assert set(queue_depths(client, ("default",)).values()) == {None}


def test_queue_depths_on_rabbitmq():
    require(port_open("127.0.0.1", 5672), "RabbitMQ is not reachable at 127.0.0.1:5672")
    client = Celery(broker=RABBITMQ)
    name, missing = f"tickler-depth-{uuid.uuid4().hex[:8]}", f"tickler-none-{uuid.uuid4().hex}"
    for _ in range(2):
        client.send_task("app.tasks.demo_tasks.ping", queue=name)
    try:
        # RabbitMQ counts a message once it has routed it, a moment after the publish returns.
        deadline = time.monotonic() + 10
        while (depths := queue_depths(client, (name, missing)))[name] != 2:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert depths == {name: 2, missing: None}
    finally:
        with client.connection_for_write() as connection:
            connection.default_channel.queue_delete(name)


def test_saving_a_crontab_changes_the_next_run_only(make_app, scheduler_for):
    """*/10 saved at 10:06 runs at 10:10, not at once (beat used to owe it the 09:20 run)."""
    flask_app = make_app()
    job = "cleanup-expired-exports"  # 15 * * * *: last ran at 09:15, next due 10:15
    with time_machine.travel(datetime(2026, 3, 2, 10, 6, tzinfo=UTC), tick=False):
        scheduler = scheduler_for(flask_app)
        scheduler.schedule[job].last_run_at = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
        assert not scheduler.schedule[job].is_due().is_due
        with flask_app.app_context():
            schedule_settings.set_crontab(db.session, job, "*/10 * * * *", None)
            db.session.commit()
        scheduler.refresh()
        entry = scheduler.schedule[job]
        due, seconds_left = entry.is_due()
        assert not due and seconds_left == 4 * 60
    with time_machine.travel(datetime(2026, 3, 2, 10, 10, 1, tzinfo=UTC), tick=False):
        assert entry.is_due().is_due


def test_resuming_a_job_does_not_make_up_the_runs_missed_while_paused(make_app, scheduler_for):
    flask_app = make_app()
    job = "retry-failed-webhooks"  # */10
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC), tick=False):
        scheduler = scheduler_for(flask_app)
        scheduler.schedule[job].last_run_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        with flask_app.app_context():
            schedule_settings.set_paused(db.session, job, True, None)
            db.session.commit()
        scheduler.refresh()
        assert job not in scheduler.schedule
    with time_machine.travel(datetime(2026, 3, 2, 11, 3, tzinfo=UTC), tick=False):
        with flask_app.app_context():
            schedule_settings.set_paused(db.session, job, False, None)
            db.session.commit()
        scheduler.refresh()
        due, seconds_left = scheduler.schedule[job].is_due()
        assert not due and seconds_left == 7 * 60


def test_a_job_edited_long_ago_keeps_its_own_last_run():
    edited, ran = datetime(2026, 1, 5, 8, 0, tzinfo=UTC), datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert schedule_settings.last_run_after_edit(ran, edited) == ran
    assert schedule_settings.last_run_after_edit(None, edited) == edited
