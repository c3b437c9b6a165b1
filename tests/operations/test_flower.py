"""Flower runs against the same app (`celery -A celery_worker flower`) and sees every task."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.processes import free_port, running, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/10"
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "-n", "flower@%h"]

pytestmark = pytest.mark.worker


def flower_tasks(port: int) -> dict[str, dict]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/tasks", timeout=5) as response:
        return json.load(response)


def test_flower_and_the_jobs_page_agree_on_what_ran(make_app, database_url, make):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    env = tickler_env(
        database_url,
        BROKER,
        # Flower's API asks for credentials unless told otherwise; production puts it behind
        # --basic-auth instead (docs/DEPLOY.md).
        FLOWER_UNAUTHENTICATED_API="true",
        # Told otherwise: no login (flowerconfig.py asks for one by default).
        FLOWER_BASIC_AUTH="none",
    )
    port = free_port()
    flower = [
        "-m",
        "celery",
        "-A",
        "celery_worker",
        "flower",
        f"--port={port}",
        "--address=127.0.0.1",
    ]
    celery = make_app(CELERY={"broker_url": BROKER, "result_backend": BROKER}).extensions["celery"]
    with running(flower, env) as flower_process, running(WORKER, env) as worker:
        worker.wait_for("ready.", timeout=60)
        flower_process.wait_for("Visit me at", timeout=60)
        results = [celery.send_task("app.tasks.demo_tasks.add", args=[n, 1]) for n in range(3)]
        failing = celery.send_task("app.tasks.demo_tasks.fail", args=["on purpose"])
        assert [r.get(timeout=30) for r in results] == [1, 2, 3]
        with pytest.raises(Exception, match="on purpose"):
            failing.get(timeout=30)
        deadline = time.monotonic() + 20
        seen: dict[str, dict] = {}
        while time.monotonic() < deadline:
            seen = flower_tasks(port)
            done = all(seen.get(r.id, {}).get("state") == "SUCCESS" for r in results)
            if done and seen.get(failing.id, {}).get("state") == "FAILURE":
                break
            time.sleep(0.3)
        for result in results:
            assert seen[result.id]["state"] == "SUCCESS"
            assert seen[result.id]["name"] == "app.tasks.demo_tasks.add"
        assert seen[failing.id]["state"] == "FAILURE"
    # The Jobs page, from the runs the worker recorded, tells the same story.
    make.user(email="ops@example.com", is_admin=True)
    web = make_app().test_client()
    web.post("/login", data={"email": "ops@example.com", "password": "correct horse battery"})
    page = web.get("/admin/jobs").data.decode()
    for result in results:
        assert f'data-celery-id="{result.id}" data-state="succeeded"' in page
    assert f'data-celery-id="{failing.id}" data-state="failed"' in page
