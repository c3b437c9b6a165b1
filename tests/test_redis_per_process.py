"""Each pytest process of an xdist run owns its redis-server: files that pick the same database
number (13 for the admin scripts and the guide's commands, 10 for Flower) never meet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.private_redis import redis_server_installed
from tests.processes import ROOT, python_env
from tests.services_available import require, session_redis_port

# Run in every worker (--dist each): records which redis-server the worker uses, who started
# it, and which one a process the test starts is given.
RECORDING_TEST = """
import json, os, subprocess, sys
from pathlib import Path

import redis

from tests.services_available import REDIS_HOST, REDIS_PORT


CHILD = "from tests.services_available import REDIS_PORT; print(REDIS_PORT)"


def parent_of(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_record_this_processes_redis():
    redis_pid = redis.Redis(host=REDIS_HOST, port=REDIS_PORT).info("server")["process_id"]
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True, text=True, check=True,
    )
    record = {
        "pid": os.getpid(),
        "port": REDIS_PORT,
        "redis_pid": redis_pid,
        "redis_parent": parent_of(redis_pid),
        "child_port": int(child.stdout),
    }
    worker = os.environ["PYTEST_XDIST_WORKER"]
    Path(os.environ["RECORDS"], f"{worker}.json").write_text(json.dumps(record))
"""


def process_exists(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def wait_until_gone(pids: list[int], timeout: float = 30.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := [pid for pid in pids if process_exists(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_two_xdist_workers_each_start_and_stop_a_redis_server_of_their_own(tmp_path):
    require(redis_server_installed(), "redis-server is not installed")
    pytest.importorskip("xdist")
    (tmp_path / "test_record.py").write_text(RECORDING_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    records = tmp_path / "records"
    records.mkdir()
    env = {k: v for k, v in python_env().items() if not k.startswith("PYTEST_XDIST_")}
    # As a controller that had started a redis-server hands it down to its workers (it did).
    env.update(
        PYTHONPATH=str(ROOT),
        RECORDS=str(records),
        TICKLER_TEST_REDIS_PORT=str(session_redis_port()),
        TICKLER_TEST_REDIS_OWNER="main",
        # Only xdist: loading every installed plugin in three processes is most of the time.
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "xdist.plugin", "-p", "no:cacheprovider"]
        + ["-n", "2", "--dist", "each", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    by_worker = {path.stem: json.loads(path.read_text()) for path in records.iterdir()}
    assert sorted(by_worker) == ["gw0", "gw1"]
    gw0, gw1 = by_worker["gw0"], by_worker["gw1"]
    assert gw0["port"] != gw1["port"]
    assert gw0["redis_pid"] != gw1["redis_pid"]
    assert session_redis_port() not in (gw0["port"], gw1["port"])
    for record in by_worker.values():
        assert record["redis_parent"] == record["pid"], "started by the worker itself"
        assert record["child_port"] == record["port"], "a process a test starts shares it"
    assert not wait_until_gone([gw0["redis_pid"], gw1["redis_pid"]]), "stopped with its worker"
    assert os.environ.get("TICKLER_TEST_REDIS_PORT") == str(session_redis_port())
