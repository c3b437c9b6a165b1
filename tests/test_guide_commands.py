"""The commands of the user's Celery guide, run exactly as written, as real processes."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from celery import Celery

from app.tasklist.models import Task, TaskStatus
from tests.processes import ROOT, free_port, running, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

pytestmark = pytest.mark.worker

# A Redis database of its own, so these processes never meet the in-process test worker.
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/13"
GUIDE_COMMAND = ["-m", "celery", "-A", "celery_worker"]


@pytest.fixture
def guide_env(app, database_url, tmp_path):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    return tickler_env(database_url, BROKER, HOME=str(tmp_path))


def send(task_name: str, *args: object) -> object:
    client = Celery(broker=BROKER, backend=BROKER)
    try:
        return client.send_task(task_name, args=args, queue="default").get(timeout=30)
    finally:
        client.close()


def test_worker_with_embedded_beat_runs_update_task_status(guide_env, make, tmp_path):
    owner = make.user()
    task = make.task(make.project(owner), owner)
    with running(
        [
            *GUIDE_COMMAND,
            "worker",
            "--beat",
            "--loglevel=info",
            "-s",
            str(tmp_path / "beat-schedule"),
        ],
        guide_env,
    ) as worker:
        worker.wait_for("ready.", timeout=60)
        worker.wait_for("beat: Starting", timeout=30)
        assert "app.tasks.task_management.update_task_status" in worker.output
        result = send("app.tasks.task_management.update_task_status", task, "completed")
    assert result == {"task_id": task, "status": "completed", "changed": True}
    assert make.get(Task, task).status == TaskStatus.COMPLETED


def test_inspect_ping_active_and_scheduled_answer_from_a_running_worker(guide_env):
    with running([*GUIDE_COMMAND, "worker", "--loglevel=info"], guide_env) as worker:
        worker.wait_for("ready.", timeout=60)
        # The three at once: each is a Python start and a broadcast, none needs the others.
        asked = {
            command: subprocess.Popen(
                [sys.executable, *GUIDE_COMMAND, "inspect", command],
                cwd=ROOT,
                env=guide_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for command in ("ping", "active", "scheduled")
        }
        answers = {
            command: (process, *process.communicate(timeout=120))
            for command, process in asked.items()
        }
    for command, (process, _, stderr) in answers.items():
        assert process.returncode == 0, f"{command}: {stderr}"
    assert "pong" in answers["ping"][1]
    assert "1 node online" in answers["active"][1]


def test_beat_starts_on_its_own(guide_env, tmp_path):
    with running(
        [*GUIDE_COMMAND, "beat", "--loglevel=info", "-s", str(tmp_path / "beat-schedule")],
        guide_env,
    ) as beat:
        beat.wait_for("beat: Starting", timeout=60)


def test_flower_serves_its_dashboard_for_the_same_app(guide_env):
    port = free_port()
    # Flower asks for a login unless told otherwise (flowerconfig.py); this one is chosen.
    env = {**guide_env, "FLOWER_BASIC_AUTH": "guide:a-test-password"}
    login = base64.b64encode(b"guide:a-test-password").decode()
    with running(
        [*GUIDE_COMMAND, "flower", f"--port={port}", "--address=127.0.0.1"], env
    ) as flower:
        deadline = time.monotonic() + 60
        while True:
            try:
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                assert refused.value.code == 401
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/", headers={"Authorization": f"Basic {login}"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    assert b"Flower" in response.read()
                    break
            except OSError:
                if time.monotonic() > deadline or flower.process.poll() is not None:
                    raise AssertionError(
                        f"flower never answered:\n{flower.output[-3000:]}"
                    ) from None
                time.sleep(0.3)
