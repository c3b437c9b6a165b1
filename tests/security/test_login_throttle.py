"""Login attempts are limited across processes: separate app processes share one count in Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
import redis

from tests.conftest import ROOT, app_settings
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


@pytest.fixture
def prefix():
    """A key prefix for this test alone in Redis DB 0; its keys are deleted afterwards."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    name = f"tickler-test-ratelimit-{uuid.uuid4().hex[:10]}"
    yield name
    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(match=f"*{name}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def start_process(settings: dict, attempts: int) -> subprocess.Popen:
    """An app process of its own that tries to log in `attempts` times."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.security.login_attempts",
            json.dumps(settings),
            str(attempts),
        ],
        cwd=ROOT,
        env={**os.environ, "TICKLER_DEVSTACK_SETTINGS": "off"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def status_codes(process: subprocess.Popen) -> list[int]:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()  # ours, by its own handle
        raise
    assert process.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def test_two_app_processes_share_one_login_limit_in_redis(
    database_url, celery_settings, prefix, app
):
    def settings(storage: str, key_prefix: str = prefix) -> dict:
        return app_settings(
            database_url,
            celery_settings,
            LOGIN_RATE_LIMIT="3 per minute",
            RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=key_prefix,
        )

    assert status_codes(start_process(settings(REDIS_URL), 3)) == [200, 200, 200]
    # Started together, after the first has used up the limit:
    later = [
        # another process, the same client address: the count carried over through Redis;
        start_process(settings(REDIS_URL), 2),
        # counted per process in memory, the limit would not hold across processes;
        start_process(settings("memory://"), 1),
        # and the count is the prefix's own: a deployment with another prefix is not blocked.
        start_process(settings(REDIS_URL, prefix + "-other"), 1),
    ]
    assert [status_codes(process) for process in later] == [[429, 429], [200], [200]]
