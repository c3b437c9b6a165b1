"""A task imported in a plain `python` goes to the configured broker, not Celery's default."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import redis

from app.task_catalog import TASK_ROUTING
from tests.processes import ROOT, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

# A Redis database of its own on the run's redis-server, emptied here.
DATABASE = 5
TYPED = (
    "from app.tasks.task_management import update_task_status\n"
    "update_task_status.delay(task_id=5, new_status='in_progress')\n"
)
NAME = "app.tasks.task_management.update_task_status"


def waiting_messages(client: redis.Redis, queue: str) -> list[dict]:
    """Kombu's Redis transport keeps a queue as lists: `queue`, and `queue:N` per priority
    step N (config.py sets the separator)."""
    keys = [queue, *(f"{queue}:{step}" for step in range(1, 10))]
    return [json.loads(raw) for key in keys for raw in client.lrange(key, 0, -1)]


def test_delay_in_a_plain_python_queues_the_job_on_the_configured_broker(app, database_url):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    broker = f"redis://{REDIS_HOST}:{REDIS_PORT}/{DATABASE}"
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=DATABASE)
    client.flushdb()
    env = tickler_env(database_url, broker)
    # `python -i` reading stdin behaves as typed at the prompt: the result's repr is printed.
    typed = subprocess.run(
        [sys.executable, "-i"],
        input=TYPED,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert typed.returncode == 0, typed.stderr
    assert "WARNING" not in typed.stderr, typed.stderr
    [message] = waiting_messages(client, TASK_ROUTING[NAME][0])
    assert message["headers"]["task"] == NAME
    assert typed.stdout.strip() == f"<AsyncResult: {message['headers']['id']}>"
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert (args, kwargs) == ([], {"task_id": 5, "new_status": "in_progress"})
    client.flushdb()
