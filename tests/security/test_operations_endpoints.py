"""Operational endpoints are not an open door: /readyz is cheap and says only ready-or-not to
strangers, /metrics needs its token in production, and Flower listens on loopback behind a
login unless told otherwise."""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.request

import pytest

from app.operations import health_views
from config import ConfigError, load_config
from tests.processes import free_port, python_env, running
from tests.security.test_production import production_env  # noqa: F401 - a fixture
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

TOKEN = "7c2e9f04b1d8a653e0f4c7b2d9a1e8f3"


@pytest.fixture
def beat_just_ticked(monkeypatch):
    from app.core.database import utcnow

    monkeypatch.setattr(health_views, "last_beat_tick", lambda session: utcnow())


def test_readyz_tells_a_stranger_only_ready_or_not(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "READYZ_TIMEOUT_SECONDS", 1)
    stranger = client.get("/readyz")
    # No worker and no beat here: unavailable, and nothing more (no worker names, no timings).
    assert (stranger.status_code, stranger.json) == (503, {"status": "unavailable"})
    wrong = client.get("/readyz", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.json == {"status": "unavailable"}
    monitor = client.get("/readyz", headers={"Authorization": f"Bearer {TOKEN}"})
    assert monitor.status_code == 503
    assert set(monitor.json["checks"]) == {"database", "broker", "worker", "beat"}


def test_readyz_callers_within_the_cache_window_share_one_check(app, count_queries, monkeypatch):
    """Six callers at once (they slowed every page to 2.4-4.1 s): the checks run once."""
    monkeypatch.setitem(app.config, "READYZ_CACHE_SECONDS", 60)
    # The app outlives this test: start from no answer, and leave none behind.
    monkeypatch.delitem(app.extensions, "readyz_cache", raising=False)
    monkeypatch.setitem(app.config, "READYZ_TIMEOUT_SECONDS", 1)
    answers: list[tuple[int, dict]] = []

    def call() -> None:
        response = app.test_client().get("/readyz")
        answers.append((response.status_code, response.json))

    with count_queries(all_threads=True) as statements:
        callers = [threading.Thread(target=call) for _ in range(6)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=60)
    assert len(answers) == 6 and all(answer == answers[0] for answer in answers)
    assert [s for s in statements if s.strip().upper() == "SELECT 1"] == ["SELECT 1"]
    app.extensions.pop("readyz_cache", None)


@pytest.mark.timeout(25)
def test_readyz_returns_at_the_first_worker_reply_not_at_its_timeout(
    app, client, celery_worker, beat_just_ticked, monkeypatch
):
    """With a 30 s ping timeout, waiting it out would trip this test's 25 s limit; Celery's
    ping(limit=1) returns as soon as one worker answers (it took 2,095 ms of a 2 s timeout)."""
    monkeypatch.setitem(app.config, "READYZ_TIMEOUT_SECONDS", 30)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["checks"]["worker"]["data"]["workers"]


def test_production_refuses_to_start_without_a_metrics_token(production_env):  # noqa: F811
    production_env.delenv("METRICS_TOKEN")
    with pytest.raises(ConfigError, match="METRICS_TOKEN is not set"):
        load_config("production")


def get(url: str, login: str | None = None) -> int:
    request = urllib.request.Request(url)
    if login:
        request.add_header("Authorization", "Basic " + base64.b64encode(login.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.worker
def test_flower_as_the_guide_starts_it_listens_on_loopback_and_asks_for_a_login(tmp_path):
    """`python -m celery -A celery_worker flower`, as written (a free port added)."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    credentials = tmp_path / "flower-credentials"
    env = python_env(
        TICKLER_ENV="development",
        CELERY_BROKER_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/10",
        FLOWER_CREDENTIALS_FILE=str(credentials),
    )
    for name in ("FLOWER_ADDRESS", "FLOWER_BASIC_AUTH", "FLOWER_UNAUTHENTICATED_API"):
        env.pop(name, None)
    port = free_port()
    command = ["-m", "celery", "-A", "celery_worker", "flower", f"--port={port}"]
    with running(command, env) as flower:
        flower.wait_for("Visit me at", timeout=60)
        assert f"Visit me at http://127.0.0.1:{port}" in flower.output
        login = credentials.read_text().strip()
        assert login.startswith("admin:") and login.split(":", 1)[1] not in flower.output
        assert oct(credentials.stat().st_mode & 0o777) == "0o600"
        base = f"http://127.0.0.1:{port}"
        assert get(f"{base}/api/workers") == 401
        assert get(f"{base}/workers") == 401
        assert get(f"{base}/api/workers", "admin:wrong") == 401
        assert get(f"{base}/api/workers", login) == 200
