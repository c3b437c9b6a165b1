"""Production settings: what it refuses to start without, its cookies, headers on every answer,
trusted hosts, and emailed links that never come from a request's Host header."""

from __future__ import annotations

import os
import runpy
import uuid
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.extensions import db
from config import ConfigError, load_config
from tests.conftest import DEFAULT_PASSWORD
from tests.security.snapshots import csrf_token_from, login_with_csrf
from tests.services_available import REDIS_HOST, REDIS_PORT

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "3f9c1a7e5b2d8064c1e9a7f35b0d2c86",  # 32 random hex characters
    "DATABASE_URL": "postgresql://tickler:pw@db.internal/tickler",
    "CELERY_BROKER_URL": "redis://:pw@redis.internal:6379/0",
    "APP_BASE_URL": "https://tickler.example.com",
    "METRICS_TOKEN": "e41b7c09d2a85f36c1e0b94d7a2f5c83",
    "MAIL_DEFAULT_SENDER": "Tickler <tickler@example.com>",
}
PRODUCTION_VARIABLES = (
    *GOOD,
    "CELERY_RESULT_BACKEND",
    "RATELIMIT_STORAGE_URI",
    "TRUSTED_HOSTS",
    "DEV_MAILBOX_DIR",
)


@pytest.fixture
def production_env(monkeypatch):
    for name in PRODUCTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", None, "SECRET_KEY is not set"),
        ("SECRET_KEY", "k" * 31, "SECRET_KEY is too short: use at least 32"),
        ("APP_BASE_URL", None, "APP_BASE_URL is not set"),
        ("APP_BASE_URL", "tickler.example.com", "is not a full http(s) address"),
        ("APP_BASE_URL", "javascript:alert(1)", "is not a full http(s) address"),
        # RFC 8058's one-click unsubscribe POSTs to an https link only.
        ("APP_BASE_URL", "http://tickler.example.com", "is not https"),
        ("MAIL_DEFAULT_SENDER", None, "MAIL_DEFAULT_SENDER is not set"),
        # Every Message-ID would end in @localhost, and no SPF or DMARC can vouch for it.
        ("MAIL_DEFAULT_SENDER", "Tickler <tickler@localhost>", "is not an address on a real"),
        ("MAIL_DEFAULT_SENDER", "tickler", "is not an address on a real"),
    ],
)
def test_production_refuses_to_start_with_a_clear_message(production_env, name, value, message):
    if value is None:
        production_env.delenv(name)
    else:
        production_env.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_config("production")
    assert message in str(error.value)


def test_a_32_character_secret_key_is_enough(production_env):
    assert load_config("production").SECRET_KEY == GOOD["SECRET_KEY"]


@pytest.mark.parametrize(
    ("environment", "broker", "backend", "explicit", "expected"),
    [
        ("production", "redis://:pw@r:6379/0", None, None, "redis://:pw@r:6379/0"),
        ("production", "amqp://mq//", "rediss://r:6380/1", None, "rediss://r:6380/1"),
        ("production", "amqp://mq//", None, "redis://other:6379/3", "redis://other:6379/3"),
        ("development", "redis://r:6379/0", None, None, "memory://"),
        ("development", "redis://r:6379/0", None, "redis://r:6379/2", "redis://r:6379/2"),
    ],
)
def test_login_attempts_are_counted_in_the_brokers_redis_in_production(
    production_env, environment, broker, backend, explicit, expected
):
    production_env.setenv("CELERY_BROKER_URL", broker)
    for name, value in (("CELERY_RESULT_BACKEND", backend), ("RATELIMIT_STORAGE_URI", explicit)):
        if value:
            production_env.setenv(name, value)
    assert load_config(environment).RATELIMIT_STORAGE_URI == expected


def test_production_without_any_redis_asks_for_a_rate_limit_store(production_env):
    production_env.setenv("CELERY_BROKER_URL", "amqp://mq//")
    production_env.setenv("CELERY_RESULT_BACKEND", "rpc://")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI is not set"):
        load_config("production")


@pytest.fixture
def production_app(production_env, database_url, make) -> Flask:
    """A production app on the test database and the local Redis, its counts under a prefix of
    their own; `make` (the test database's factory) empties the tables afterwards."""
    production_env.setenv("DATABASE_URL", database_url)
    production_env.setenv("CELERY_BROKER_URL", f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
    production_env.setenv("RATELIMIT_KEY_PREFIX", f"tickler-test-{uuid.uuid4().hex[:10]}")
    production_env.setenv("TRUSTED_HOSTS", "tickler.example.com")
    production_env.setenv("DEV_MAILBOX_DIR", "/nonexistent")
    app = create_app("production")
    yield app
    with app.app_context():
        db.engine.dispose()


HTTPS = "https://tickler.example.com"


class HttpsClient:
    """A test client whose every request goes to https://tickler.example.com."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url=HTTPS, **kwargs)

    def post(self, path: str, **kwargs):
        # Over HTTPS, Flask-WTF also wants a same-site Referer, as a browser sends it.
        headers = {"Referer": HTTPS + path, **kwargs.pop("headers", {})}
        return self.client.post(path, base_url=HTTPS, headers=headers, **kwargs)


def cookie_attributes(response, name: str) -> set[str]:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().lower() for part in header.split(";")[1:]}
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_production_cookies_are_secure_httponly_and_lax(production_app, make):
    make.user(email="ann@example.com")
    client = HttpsClient(production_app)
    token = csrf_token_from(client)
    response = client.post(
        "/login",
        data={
            "email": "ann@example.com",
            "password": DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302, response.data
    session = cookie_attributes(response, "session")
    assert {"secure", "httponly", "samesite=lax"} <= session
    remember = cookie_attributes(response, "remember_token")
    assert {"secure", "httponly"} <= remember


def answers_of_every_kind(app: Flask) -> dict[str, object]:
    client = HttpsClient(app)
    return {
        "page": client.get("/login"),
        "redirect": client.get("/"),
        "static file": client.get("/static/style.css"),
        "404": client.get("/no-such-page"),
        "404 as JSON": client.get("/no-such-page", headers={"Accept": "application/json"}),
        "405": client.get("/logout"),
        "CSRF refusal": client.post("/login", data={"email": "x@example.com"}),
        "500": client.get("/boom"),
        "health": client.get("/healthz"),
    }


def test_every_kind_of_answer_carries_the_security_headers(production_app):
    def boom() -> str:
        raise RuntimeError("on purpose")

    production_app.add_url_rule("/boom", "boom", boom)
    answers = answers_of_every_kind(production_app)
    assert answers["redirect"].status_code == 302 and answers["500"].status_code == 500
    assert answers["CSRF refusal"].status_code == 400
    for kind, response in answers.items():
        headers = response.headers
        assert headers.get("Strict-Transport-Security", "").startswith("max-age="), kind
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("X-Frame-Options") == "DENY", kind
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), kind


def test_production_answers_only_its_trusted_hosts_and_has_no_dev_pages(production_app):
    client = production_app.test_client()
    assert client.get("/login", base_url=HTTPS).status_code == 200
    assert client.get("/login", base_url="https://evil.test").status_code == 400
    assert client.get("/dev/mail/", base_url=HTTPS).status_code == 404
    endpoints = {rule.endpoint for rule in production_app.url_map.iter_rules()}
    assert not {e for e in endpoints if e.startswith(("dev_mail.", "dev_webhooks."))}


def test_production_logs_in_through_the_shared_rate_limit_store(production_app, make):
    """The login page works with its counts in Redis (not only in memory)."""
    make.user(email="ann@example.com")
    assert production_app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    client = HttpsClient(production_app)
    login_with_csrf(client, "ann@example.com", DEFAULT_PASSWORD)
    assert client.get("/").status_code == 200


def systemd_environment_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them: blank lines and lines starting
    with # or ; are ignored, whitespace around the value is dropped, one pair of quotes too."""
    variables = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        variables[name.strip()] = value
    return variables


@pytest.fixture
def restored_environ():
    """gunicorn.conf.py writes os.environ itself (setdefault), which monkeypatch cannot undo."""
    saved = dict(os.environ)
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


def test_the_guides_env_file_and_gunicorn_config_trust_exactly_the_nginx_proxy(restored_environ):
    # DEPLOY.md step 4: cp .env.example /etc/tickler/tickler.env, then set at least these;
    # tickler-web.service loads it with EnvironmentFile= before gunicorn reads its config.
    env_file = systemd_environment_file((ROOT / ".env.example").read_text())
    for name in (*env_file, "TRUSTED_PROXY_COUNT"):
        restored_environ.pop(name, None)
    restored_environ.update({**env_file, **GOOD, "TICKLER_ENV": "production"})
    runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    app = create_app("production")
    assert app.config["TRUSTED_PROXY_COUNT"] == 1
    assert isinstance(app.wsgi_app, ProxyFix)
    assert (app.wsgi_app.x_for, app.wsgi_app.x_proto) == (1, 1)
