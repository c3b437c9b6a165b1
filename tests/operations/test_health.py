"""Health endpoints: liveness, readiness with its reasons, and Prometheus metrics."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.core.database import utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.operations import health_views
from tests.processes import running, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

# A Redis database of its own: only the worker this module starts answers pings there.
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/8"
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "-n", "readyz@%h"]


@pytest.fixture
def beat_just_ticked(monkeypatch):
    monkeypatch.setattr(health_views, "last_beat_tick", lambda session: utcnow())


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_is_ready_with_database_broker_worker_and_beat(
    client, celery_worker, beat_just_ticked
):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    checks = response.json["checks"]
    assert response.json["status"] == "ready"
    assert {name: check["ok"] for name, check in checks.items()} == {
        "database": True,
        "broker": True,
        "worker": True,
        "beat": True,
    }
    assert checks["worker"]["data"]["workers"], "names the workers that answered"
    assert checks["beat"]["data"]["age_seconds"] < 5


def test_readyz_says_beat_is_stale(client, celery_worker, monkeypatch):
    monkeypatch.setattr(
        health_views, "last_beat_tick", lambda session: utcnow() - timedelta(hours=1)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "(limit 600 s)" in response.json["checks"]["beat"]["detail"]
    assert response.json["checks"]["beat"]["data"]["age_seconds"] >= 3599
    monkeypatch.setattr(health_views, "last_beat_tick", lambda session: None)
    assert client.get("/readyz").json["checks"]["beat"]["detail"] == "beat has not ticked yet"


def test_readyz_with_the_broker_and_database_down_answers_503_quickly(make_app, beat_just_ticked):
    down = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        CELERY={"broker_url": "redis://127.0.0.1:1/0", "result_backend": "redis://127.0.0.1:1/0"},
        READYZ_TIMEOUT_SECONDS=1,
    )
    started = time.monotonic()
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.json["checks"]
    assert not checks["database"]["ok"] and "OperationalError" in checks["database"]["detail"]
    assert not checks["broker"]["ok"] and checks["worker"]["detail"] == "broker unreachable"
    assert time.monotonic() - started < 15


@pytest.mark.worker
def test_readyz_turns_unhealthy_when_the_worker_stops_and_healthy_when_it_returns(
    make_app, database_url, beat_just_ticked
):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    settings = {"broker_url": BROKER, "result_backend": BROKER}
    web = make_app(CELERY=settings, READYZ_TIMEOUT_SECONDS=1).test_client()
    env = tickler_env(database_url, BROKER)

    def worker_ok() -> bool:
        return web.get("/readyz").json["checks"]["worker"]["ok"]

    assert not worker_ok(), "no worker on this broker yet"
    with running(WORKER, env) as worker:
        worker.wait_for("ready.", timeout=60)
        assert web.get("/readyz").status_code == 200
        worker.stop()
    response = web.get("/readyz")
    assert response.status_code == 503
    assert "no worker answered" in response.json["checks"]["worker"]["detail"]
    with running(WORKER, env) as worker:
        worker.wait_for("ready.", timeout=60)
        assert web.get("/readyz").status_code == 200


def test_metrics_count_emails_by_kind_and_status(app, client, make):
    user = make.user()
    with app.app_context():
        from app.extensions import db

        for n, status in enumerate(
            [
                DeliveryStatus.SENT,
                DeliveryStatus.SENT,
                DeliveryStatus.FAILED,
                DeliveryStatus.PENDING,
            ]
        ):
            db.session.add(
                Delivery(
                    recipient_id=user,
                    kind=EmailKind.TASK_REMINDER,
                    period=f"2026-11-2{n}",
                    status=status,
                    attempts=1,
                )
            )
        db.session.commit()
    body = client.get("/metrics").data.decode()
    assert 'tickler_emails_sent_total{kind="task_reminder"} 2.0' in body
    assert 'tickler_emails_failed_total{kind="task_reminder"} 1.0' in body
    assert 'tickler_emails_waiting{kind="task_reminder"} 1.0' in body


def test_metrics_can_require_a_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.mimetype == "text/plain"


def test_metrics_report_task_runtimes_from_the_recorded_runs(app, client):
    from app.extensions import db
    from app.operations.models import TaskRun

    with app.app_context():
        for n, (state, runtime) in enumerate(
            [("succeeded", 200), ("succeeded", 600), ("failed", None)]
        ):
            db.session.add(
                TaskRun(
                    celery_id=f"id-{n}",
                    name="app.tasks.demo_tasks.add",
                    state=state,
                    runtime_ms=runtime,
                )
            )
        db.session.commit()
    body = client.get("/metrics").data.decode()
    task = 'task="app.tasks.demo_tasks.add"'
    assert f'tickler_task_runs{{state="succeeded",{task}}} 2.0' in body
    assert f"tickler_task_runtime_seconds_sum{{{task}}} 0.8" in body
    assert f"tickler_task_runtime_seconds_count{{{task}}} 2.0" in body
    assert f"tickler_task_runtime_seconds_max{{{task}}} 0.6" in body


def test_metrics_count_scheduled_job_runs_by_outcome_from_the_task_runs(app, client):
    from datetime import timedelta

    from app.core.database import utcnow
    from app.extensions import db
    from app.operations.models import TaskRun

    report = "app.tasks.task_management.generate_task_report"
    finished = utcnow() - timedelta(minutes=5)
    with app.app_context():
        for n, state in enumerate(["succeeded", "succeeded", "started", "interrupted", "pending"]):
            db.session.add(
                TaskRun(celery_id=f"job-{n}", name=report, state=state, finished_at=finished)
            )
        # Not a scheduled job: its runs are task runs, not job runs.
        db.session.add(TaskRun(celery_id="add", name="app.tasks.demo_tasks.add", state="failed"))
        db.session.commit()
    body = client.get("/metrics").data.decode()
    job = f'job="{report}"'
    assert f'tickler_job_runs_total{{{job},outcome="succeeded"}} 2.0' in body
    assert f'tickler_job_runs_total{{{job},outcome="running"}} 1.0' in body
    assert f'tickler_job_runs_total{{{job},outcome="interrupted"}} 1.0' in body
    assert 'outcome="pending"' not in body and 'demo_tasks.add",outcome' not in body
    [last] = [
        line.rsplit(" ", 1)[1]
        for line in body.splitlines()
        if line.startswith(f"tickler_job_last_success_timestamp_seconds{{{job}}} ")
    ]
    assert abs(float(last) - finished.timestamp()) < 0.001
