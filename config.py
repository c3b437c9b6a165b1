"""Settings for each environment, read from environment variables and a `.env` file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dotenv import dotenv_values, load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A real environment variable always wins over the file, so an operator can override one
# setting without editing `.env`.
load_dotenv(BASE_DIR / ".env", override=False)

MIN_SECRET_KEY_LENGTH = 32
# Written by `make run` (scripts/devstack) while it runs: its Redis, mailbox and database.
DEVSTACK_RUNTIME_ENV = INSTANCE_DIR / "devstack" / "runtime.env"


class ConfigError(RuntimeError):
    """The environment cannot run Tickler; the message says which variables to fix."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean: use true or false.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None


def schedule_overrides() -> dict[str, str]:
    """Crontab replacements from SCHEDULE_* variables, keyed by beat job name."""
    prefix = "SCHEDULE_"
    return {
        name[len(prefix) :].lower().replace("_", "-"): value.strip()
        for name, value in os.environ.items()
        if name.startswith(prefix) and value.strip()
    }


def sqlite_url(filename: str) -> str:
    return f"sqlite:///{INSTANCE_DIR / filename}"


class Config:
    """Settings shared by every environment; each subclass changes only what differs."""

    ENV_NAME = "base"
    DEFAULT_DATABASE_URL: str | None = sqlite_url("tickler.db")
    DEFAULT_BROKER_URL: str | None = "redis://localhost:6379/0"
    DEFAULT_SECRET_KEY: str | None = "dev-only-secret-key-change-me-0123456789"

    def __init__(self) -> None:
        self.TICKLER_ENV = self.ENV_NAME
        self.DEBUG = False
        self.TESTING = False
        self.SECRET_KEY = env_str("SECRET_KEY", self.DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env_str("DATABASE_URL", self.DEFAULT_DATABASE_URL)
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.APP_BASE_URL = env_str("APP_BASE_URL", "http://127.0.0.1:5000")
        self.TASKS_PER_PAGE = env_int("TASKS_PER_PAGE", 25)

        self.MAIL_SERVER = env_str("MAIL_SERVER", "localhost")
        self.MAIL_PORT = env_int("MAIL_PORT", 25)
        self.MAIL_USERNAME = env_str("MAIL_USERNAME")
        self.MAIL_PASSWORD = env_str("MAIL_PASSWORD")
        self.MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
        self.MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", "Tickler <tickler@localhost>")
        # Flask-Mail silently drops mail when TESTING is on; our tests use a real SMTP server.
        self.MAIL_SUPPRESS_SEND = env_bool("MAIL_SUPPRESS_SEND", False)
        # Where the development SMTP server keeps what it receives, shown at /dev/mail.
        self.DEV_MAILBOX_DIR = env_str("DEV_MAILBOX_DIR")

        self.MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 30)
        # Transient SMTP failures retry after base * 2^n seconds (with jitter), at most max.
        self.MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 30)
        self.MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 600)

        # Digests reach each person at these hours of their own local day.
        self.REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
        self.OVERDUE_ALERT_HOUR = env_int("OVERDUE_ALERT_HOUR", 9)
        self.WEEKLY_SUMMARY_HOUR = env_int("WEEKLY_SUMMARY_HOUR", 10)
        self.WEEKLY_SUMMARY_WEEKDAY = env_int("WEEKLY_SUMMARY_WEEKDAY", 0)
        self.DIGEST_CHUNK_SIZE = env_int("DIGEST_CHUNK_SIZE", 100)
        # Task events wait this long so several quick changes make one email, not several.
        self.NOTIFICATION_BATCH_SECONDS = env_int("NOTIFICATION_BATCH_SECONDS", 120)
        self.NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 90)
        self.OVERDUE_ESCALATE_DAYS = env_int("OVERDUE_ESCALATE_DAYS", 3)
        self.CLEANUP_AFTER_DAYS = env_int("CLEANUP_AFTER_DAYS", 30)
        # Deleting archived tasks is off unless an operator sets a number of days.
        self.CLEANUP_DELETE_AFTER_DAYS = env_int("CLEANUP_DELETE_AFTER_DAYS", 0) or None
        # SCHEDULE_<JOB_NAME>="minute hour day month weekday" replaces that job's crontab.
        self.CELERY_SCHEDULE_OVERRIDES = schedule_overrides()

        self.RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
        self.LOGIN_RATE_LIMIT = env_str("LOGIN_RATE_LIMIT", "10 per minute")
        self.RATELIMIT_HEADERS_ENABLED = True

        broker_url = env_str("CELERY_BROKER_URL", self.DEFAULT_BROKER_URL)
        self.CELERY: dict[str, Any] = {
            "broker_url": broker_url,
            "result_backend": env_str("CELERY_RESULT_BACKEND", broker_url),
            "timezone": env_str("CELERY_TIMEZONE", "UTC"),
            "enable_utc": True,
            "task_serializer": "json",
            "result_serializer": "json",
            "accept_content": ["json"],
            "result_expires": env_int("CELERY_RESULT_EXPIRES", 24 * 3600),
            "task_default_queue": "default",
            "task_ignore_result": False,
            "broker_connection_retry_on_startup": True,
            # Sending jobs acknowledge late; a worker holding one message at a time leaves the
            # rest of the queue to its peers instead of sitting on it.
            "worker_prefetch_multiplier": 1,
            # A job whose worker died unacknowledged returns to the queue after this many
            # seconds (Redis). Above the longest retry countdown, or a waiting retry would be
            # handed out twice; the ledger's claims make that harmless, but not free.
            "broker_transport_options": {
                "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 1800)
            },
        }

    def problems(self) -> list[str]:
        """What stops this environment from starting; empty when all is well."""
        return []

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key.isupper()}


def load_devstack_settings(path: Path = DEVSTACK_RUNTIME_ENV) -> None:
    """While `make run` is up, a command in another terminal (celery_utils.py, flask, the
    setup checks) talks to its embedded Redis and local mailbox, unless told otherwise."""
    if env_str("TICKLER_DEVSTACK_SETTINGS", "on") == "off" or not path.exists():
        return
    values = dotenv_values(path)
    pid = values.pop("DEVSTACK_PID", None)
    if not pid or not pid.isdigit() or not process_alive(int(pid)):
        return  # left behind by a stack that was killed
    for name, value in values.items():
        if value and not os.environ.get(name):
            os.environ[name] = value


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def __init__(self) -> None:
        load_devstack_settings()
        super().__init__()
        self.DEBUG = env_bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    ENV_NAME = "testing"
    DEFAULT_DATABASE_URL = "sqlite://"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key-0123456789abcdef0123"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env_str("TEST_DATABASE_URL", self.DEFAULT_DATABASE_URL)
        )
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.MAIL_SERVER = "127.0.0.1"
        self.MAIL_PORT = 8025
        self.APP_BASE_URL = "http://localhost"


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEFAULT_DATABASE_URL = None
    DEFAULT_BROKER_URL = None
    DEFAULT_SECRET_KEY = None

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.PREFERRED_URL_SCHEME = "https"

    def problems(self) -> list[str]:
        found = []
        if not self.SECRET_KEY:
            found.append(
                "SECRET_KEY is not set: generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        elif len(self.SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
            found.append(
                f"SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random characters."
            )
        database_url = self.SQLALCHEMY_DATABASE_URI or ""
        if not database_url:
            found.append(
                "DATABASE_URL is not set: point it at PostgreSQL, "
                "e.g. postgresql://tickler:PASSWORD@db-host/tickler."
            )
        elif database_url.startswith("sqlite"):
            found.append(
                "DATABASE_URL points at SQLite: "
                "production needs a real database server such as PostgreSQL."
            )
        if not self.CELERY["broker_url"]:
            found.append(
                "CELERY_BROKER_URL is not set: point it at Redis, e.g. redis://:PASSWORD@redis-host:6379/0."
            )
        return found


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def normalise_database_url(url: str | None) -> str | None:
    """Accept the URLs hosting platforms hand out and pick the installed psycopg 3 driver."""
    if url is None:
        return None
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(name: str | None = None) -> Config:
    """Build the settings for `name` (default: TICKLER_ENV, else development) and check them."""
    env_name = name or env_str("TICKLER_ENV", "development")
    if env_name not in CONFIGS:
        known = ", ".join(sorted(CONFIGS))
        raise ConfigError(f"TICKLER_ENV={env_name!r} is unknown: use one of {known}.")
    config = CONFIGS[env_name]()
    problems = config.problems()
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigError(f"Tickler cannot start in {env_name} mode:\n{lines}")
    return config
