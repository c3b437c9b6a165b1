"""Issue 15.2 replayed on the real thing: gunicorn (two workers, deploy/gunicorn.conf.py, as
behind the nginx of docs/DEPLOY.md), a Celery worker, PostgreSQL and Redis. Every request
arrives from 127.0.0.1 with X-Forwarded-For as nginx sets it. One attacker's failures no
longer answer 429 to someone else; a botnet against one account is paused; the owner gets in
through the emailed reset link."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
from sqlalchemy import make_url

from tests.conftest import DEFAULT_PASSWORD
from tests.processes import Running, free_port, python_env, running
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

pytestmark = pytest.mark.worker

# A Redis database of its own for the broker (7 is the load test's, 11 the deploy tests').
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/6"
WEB = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info", "-Q", "notifications"]
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Browser:
    """One person's browser behind nginx: its own cookies (kept whatever their Secure flag,
    since nginx would have spoken https to it) and the address nginx puts in X-Forwarded-For."""

    def __init__(self, base_url: str, address: str) -> None:
        self.base_url = base_url
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": self.base_url.replace("http://", "https://") + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = httpx.request(
            method, self.base_url + path, headers=headers, timeout=30, **kwargs
        )
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def csrf(self, path: str) -> str:
        found = CSRF_FIELD.search(self.request("GET", path).text)
        assert found, f"no form on {path}"
        return found.group(1)

    def post_form(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self.request("POST", path, data={**data, "csrf_token": self.csrf(path)})

    def login(self, email: str, password: str) -> int:
        return self.post_form("/login", {"email": email, "password": password}).status_code


@pytest.fixture
def broker() -> Iterator[str]:
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    store = redis.Redis.from_url(BROKER)
    store.flushdb()
    yield BROKER
    store.flushdb()
    store.close()


def wait_until_serving(base_url: str, process: Running, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert process.process.poll() is None, process.output[-3000:]
        time.sleep(0.3)
    raise AssertionError("gunicorn never answered /healthz:\n" + process.output[-3000:])


@pytest.fixture
def stack(app, database_url, broker, smtp) -> Iterator[str]:
    """gunicorn and a worker in production mode, on the test database and the session's SMTP
    server; the login limits small so the replay takes seconds."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("the replay runs on PostgreSQL, as production does")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = python_env(
        TICKLER_ENV="production",
        SECRET_KEY="9d41c7a2e83b5f06d2a97c4e1b58f3a0c6e2d94b7a15f08e",  # random, fixed
        METRICS_TOKEN="5be2a9c0d7f41e3a86c5b2d9e0f7a413",
        DATABASE_URL=make_url(database_url).render_as_string(hide_password=False),
        CELERY_BROKER_URL=broker,
        CELERY_RESULT_BACKEND=broker,
        # Production's links are https and its sender a real domain: the test follows only
        # the reset link's path, against the server it started.
        APP_BASE_URL="https://tickler.throttle.example",
        MAIL_DEFAULT_SENDER="Tickler <tickler@throttle.example>",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        LOGIN_RATE_LIMIT="5 per minute",
        LOGIN_ACCOUNT_RATE_LIMIT="8 per 15 minutes",
        RATELIMIT_KEY_PREFIX=f"tickler-test-{uuid.uuid4().hex[:10]}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="INFO",
    )
    with running(WEB, env) as web, running(WORKER, env) as worker:
        wait_until_serving(base_url, web)
        worker.wait_for("ready.", timeout=60)
        yield base_url


def test_behind_nginx_limits_count_per_client_and_per_account(stack, make, smtp):
    make.user(email="ann@example.com", name="Ann")
    attacker = Browser(stack, "203.0.113.5")
    codes = [attacker.login("ann@example.com", "guess") for _ in range(5)]
    assert codes == [200] * 5
    assert attacker.login("ann@example.com", "guess") == 429
    # A forged X-Forwarded-For of the attacker's own does not help: nginx appends the real
    # address, and only that last one is trusted.
    attacker.address = "198.51.100.99, 203.0.113.5"
    assert attacker.login("ann@example.com", "guess") == 429

    # Ann, at another address, is not answered 429 for the attacker's failures.
    ann = Browser(stack, "198.51.100.7")
    assert ann.login("ann@example.com", DEFAULT_PASSWORD) == 302
    assert ann.request("GET", "/").status_code == 200

    # Many addresses against her account: after 8 failures (counted since her last login) it
    # is paused for everyone, the right password included.
    for n in range(10, 18):
        assert Browser(stack, f"203.0.113.{n}").login("ann@example.com", "guess") == 200
    phone = Browser(stack, "198.51.100.8")
    assert phone.login("ann@example.com", DEFAULT_PASSWORD) == 429

    # The emailed reset link gets the owner through, and lifts the pause.
    sent = phone.post_form("/forgot-password", {"email": "ann@example.com"})
    assert sent.status_code == 302
    [message] = smtp.wait_for(1, timeout=60)
    link = re.search(r"/reset-password/\S+", message.get_body(("plain",)).get_content())
    assert link, "the reset email has a link"
    new = "a fresh long password"
    reset = phone.post_form(link.group(0), {"new_password": new, "confirm": new})
    assert reset.status_code == 302 and phone.request("GET", "/").status_code == 200
    assert Browser(stack, "198.51.100.9").login("ann@example.com", new) == 302
