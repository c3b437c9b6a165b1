"""Admin › Jobs and /readyz say when the broker may lose queued work (issue 16.3)."""

from __future__ import annotations

import pytest

from tests.conftest import AuthActions
from tests.redis_servers import redis_server

FORGETFUL = ("--appendonly", "no", "--maxmemory-policy", "allkeys-lru")
DURABLE = ("--appendonly", "yes", "--maxmemory-policy", "noeviction")


@pytest.fixture
def app_on_broker(make_app, make, tmp_path):
    """An app whose broker is a redis-server of the test's own, set up as asked; an admin."""
    make.user(email="boss@example.com", is_admin=True)

    def build(*settings: str):
        server = redis_server(tmp_path, *settings)
        url = server.__enter__()
        built = make_app(
            WTF_CSRF_ENABLED=False,
            CELERY={"broker_url": url, "result_backend": url},
            READYZ_TIMEOUT_SECONDS=2,
        )
        servers.append(server)
        client = built.test_client()
        AuthActions(client).login("boss@example.com")
        return client

    servers: list = []
    yield build
    for server in servers:
        server.__exit__(None, None, None)


def test_the_jobs_page_warns_of_a_broker_that_forgets(app_on_broker):
    page = app_on_broker(*FORGETFUL).get("/admin/jobs").data.decode()
    assert 'id="broker-warnings"' in page
    assert "The broker may lose queued jobs." in page
    assert "appendonly no" in page and "maxmemory-policy allkeys-lru" in page


def test_the_jobs_page_shows_no_warning_for_a_durable_broker(app_on_broker):
    page = app_on_broker(*DURABLE).get("/admin/jobs").data.decode()
    assert "Scheduled jobs" in page and 'id="broker-warnings"' not in page


def test_readyz_lists_the_broker_warnings_without_failing_on_them(app_on_broker):
    forgetful = app_on_broker(*FORGETFUL).get("/readyz").json
    assert forgetful["checks"]["broker"]["ok"]
    assert [w.split(":")[0] for w in forgetful["warnings"]] == [
        "Redis broker has appendonly no",
        "Redis broker has maxmemory-policy allkeys-lru",
    ]
    assert app_on_broker(*DURABLE).get("/readyz").json["warnings"] == []
