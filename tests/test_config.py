import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
GOOD_PRODUCTION = {
    "SECRET_KEY": "b7e03c9d41f85a26e1c4d07b93a5f8e2c61d",
    "DATABASE_URL": "postgresql://tickler:pw@db.internal/tickler",
    "CELERY_BROKER_URL": "redis://:pw@redis.internal:6379/0",
    "APP_BASE_URL": "https://tickler.example.com",
    "METRICS_TOKEN": "e41b7c09d2a85f36c1e0b94d7a2f5c83",
    "MAIL_DEFAULT_SENDER": "Tickler <tickler@example.com>",
}


@pytest.fixture
def production_env(monkeypatch):
    for name, value in GOOD_PRODUCTION.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_guides_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USERNAME", "me@example.com")
    monkeypatch.setenv("MAIL_PASSWORD", "app-password")
    monkeypatch.setenv("MAIL_USE_TLS", "True")
    monkeypatch.setenv("MAIL_DEFAULT_SENDER", "me@example.com")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://broker:6379/0")
    monkeypatch.setenv("CELERY_RESULT_BACKEND", "redis://broker:6379/1")
    monkeypatch.setenv("CELERY_TIMEZONE", "Europe/Berlin")
    config = load_config("development")
    assert (config.MAIL_SERVER, config.MAIL_PORT, config.MAIL_USE_TLS) == (
        "smtp.example.com",
        587,
        True,
    )
    assert (config.MAIL_USERNAME, config.MAIL_PASSWORD) == ("me@example.com", "app-password")
    assert config.MAIL_DEFAULT_SENDER == "me@example.com"
    assert config.CELERY["broker_url"] == "redis://broker:6379/0"
    assert config.CELERY["result_backend"] == "redis://broker:6379/1"
    assert config.CELERY["timezone"] == "Europe/Berlin"


def test_celery_uses_json_only_and_expires_results():
    celery = create_app("testing").extensions["celery"]
    assert celery.conf.task_serializer == "json"
    assert celery.conf.accept_content == ["json"]
    assert celery.conf.result_expires == 24 * 3600
    assert celery.conf.task_default_queue == "default"


def test_production_starts_with_everything_set(production_env):
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("unset", "override", "message"),
    [
        ("SECRET_KEY", None, "SECRET_KEY is not set"),
        (None, ("SECRET_KEY", "short"), "SECRET_KEY is too short"),
        ("DATABASE_URL", None, "DATABASE_URL is not set"),
        (None, ("DATABASE_URL", "sqlite:///prod.db"), "DATABASE_URL points at SQLite"),
        ("CELERY_BROKER_URL", None, "CELERY_BROKER_URL is not set"),
    ],
)
def test_production_refuses_to_start_without_real_settings(
    production_env, unset, override, message
):
    if unset:
        production_env.delenv(unset)
    if override:
        production_env.setenv(*override)
    with pytest.raises(ConfigError, match=message):
        create_app("production")


def test_production_failure_lists_every_problem_at_once(monkeypatch):
    for name in GOOD_PRODUCTION:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as error:
        load_config("production")
    text = str(error.value)
    assert all(name in text for name in GOOD_PRODUCTION)


def test_worker_entry_point_refuses_production_without_settings_with_a_clear_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TICKLER_ENV": "production", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import celery_worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Tickler cannot start in production mode" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="TICKLER_ENV='staging' is unknown"):
        load_config("staging")


def test_bad_boolean_is_explained(monkeypatch):
    monkeypatch.setenv("MAIL_USE_TLS", "perhaps")
    with pytest.raises(ConfigError, match="MAIL_USE_TLS='perhaps' is not a boolean"):
        load_config("development")


def test_development_uses_a_running_devstacks_redis_and_mailbox(tmp_path, monkeypatch):
    import os

    from config import load_devstack_settings

    runtime = tmp_path / "runtime.env"
    runtime.write_text(
        f"DEVSTACK_PID={os.getpid()}\nCELERY_BROKER_URL=redis://127.0.0.1:7777/0\nMAIL_PORT=8025\n"
    )
    monkeypatch.setenv("TICKLER_DEVSTACK_SETTINGS", "on")
    # Recorded first, so the undo puts back what was there before (the stack's URL must not
    # leak into later tests, whose jobs would go to a Redis that is not there).
    monkeypatch.setenv("CELERY_BROKER_URL", "")
    monkeypatch.delenv("CELERY_BROKER_URL")
    monkeypatch.setenv("MAIL_PORT", "2525")
    load_devstack_settings(runtime)
    assert os.environ["CELERY_BROKER_URL"] == "redis://127.0.0.1:7777/0"
    assert os.environ["MAIL_PORT"] == "2525", "a real setting wins over the stack's"


def test_a_dead_devstacks_settings_are_ignored(tmp_path, monkeypatch):
    import os

    from config import load_devstack_settings

    runtime = tmp_path / "runtime.env"
    runtime.write_text("DEVSTACK_PID=999999999\nCELERY_BROKER_URL=redis://127.0.0.1:7777/0\n")
    monkeypatch.setenv("TICKLER_DEVSTACK_SETTINGS", "on")
    monkeypatch.setenv("CELERY_BROKER_URL", "")
    monkeypatch.delenv("CELERY_BROKER_URL")
    load_devstack_settings(runtime)
    assert "CELERY_BROKER_URL" not in os.environ


def test_env_example_documents_every_setting_config_reads():
    import re

    from config import Settings, Startup

    read = set(Settings.model_fields) | set(Startup.model_fields)
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set()
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "MAIL_SERVER"} <= read


def test_a_dead_workers_job_returns_after_the_visibility_timeout_above_any_retry(monkeypatch):
    config = load_config("development")
    timeout = config.CELERY["broker_transport_options"]["visibility_timeout"]
    assert timeout == 7200 > config.longest_wait_seconds() >= config.WEBHOOK_RETRY_MAX_SECONDS
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT", "5000")
    assert (
        load_config("development").CELERY["broker_transport_options"]["visibility_timeout"] == 5000
    )


def test_a_visibility_timeout_below_the_longest_countdown_is_refused(monkeypatch):
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT", "900")  # a webhook retry waits up to 3600
    with pytest.raises(ConfigError, match="BROKER_VISIBILITY_TIMEOUT=900"):
        load_config("development")
    monkeypatch.setenv("WEBHOOK_RETRY_MAX_SECONDS", "600")
    # Now the longest is a mail retry: 600 s x 1.5 for jitter.
    with pytest.raises(ConfigError, match="BROKER_VISIBILITY_TIMEOUT=900"):
        load_config("development")
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT", "901")
    assert load_config("development").CELERY["worker_soft_shutdown_timeout"] == 25.0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MAIL_PORT", "twenty-five", "MAIL_PORT='twenty-five' is not a whole number."),
        ("MAIL_PORT", "70000", "MAIL_PORT='70000' is not allowed: it should be less than or"),
        ("REMINDER_HOUR", "24", "REMINDER_HOUR='24' is not allowed"),
        ("DIGEST_CHUNK_SIZE", "0", "DIGEST_CHUNK_SIZE='0' is not allowed"),
        ("LOGIN_RATE_LIMIT", "lots", "LOGIN_RATE_LIMIT='lots' is not a rate limit like"),
        ("TICKLER_DEVSTACK_SETTINGS", "no", "TICKLER_DEVSTACK_SETTINGS='no' is not allowed"),
        ("DATABASE_URL", "not a url", "DATABASE_URL='not a url' is not a database URL like"),
        ("DATABASE_URL", "mysql://db/tickler", "names a database Tickler has no driver for"),
        # The password never reaches the message (and so the logs).
        ("DATABASE_URL", "postgresql://u:s3cret@db:port/x", "'postgresql://u:***@db:port/x'"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_is_wrong(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_config("development")
    assert str(error.value).startswith("Tickler cannot start in development mode:\n  - ")
    assert message in str(error.value)
    assert "s3cret" not in str(error.value)


def test_every_bad_value_is_named_at_once(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "x")
    monkeypatch.setenv("TASK_TRACKING", "maybe")
    with pytest.raises(ConfigError) as error:
        load_config("testing")
    assert "MAIL_PORT='x'" in str(error.value) and "TASK_TRACKING='maybe'" in str(error.value)


def test_blank_values_mean_the_default_and_values_are_trimmed(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "   ")
    monkeypatch.setenv("MAIL_PORT", " 587 ")
    monkeypatch.setenv("TRUSTED_HOSTS", " a.example, ,b.example ")
    monkeypatch.setenv("CLEANUP_DELETE_AFTER_DAYS", "0")
    monkeypatch.setenv("LOG_LEVEL", "warning")
    config = load_config("development")
    assert (config.MAIL_SERVER, config.MAIL_PORT) == ("localhost", 587)
    assert config.TRUSTED_HOSTS == ["a.example", "b.example"]
    assert config.CLEANUP_DELETE_AFTER_DAYS is None
    assert config.LOG_LEVEL == "WARNING"
    assert "DATABASE_URL" not in config.as_dict(), "read into SQLALCHEMY_DATABASE_URI"


# The target: after a fault, every email out within 5 minutes of the service being back.
RECOVERY_TARGET_SECONDS = 300
RECOVERY_SETTINGS = (
    "DELIVERY_LEASE_SECONDS",
    "DELIVERY_SWEEP_SECONDS",
    "DELIVERY_QUEUED_GRACE_SECONDS",
)


def test_the_default_recovery_settings_keep_the_five_minute_target(production_env):
    """A dead claim is owed once its lease runs out, a worker sweeps within its interval, and a
    row whose queued job was lost is owed after the grace (docs/RELIABILITY.md): the sum is the
    longest wait. A change to a default that breaks the target fails here, not in a drill."""
    for name in RECOVERY_SETTINGS:
        production_env.delenv(name, raising=False)
    config = load_config("production")
    lease, sweep, grace = (getattr(config, name) for name in RECOVERY_SETTINGS)
    assert sweep > 0, "every worker sweeps: recovery must not wait on beat"
    assert lease + sweep + grace <= RECOVERY_TARGET_SECONDS, (lease, sweep, grace)
