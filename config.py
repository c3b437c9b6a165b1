"""Settings for each environment, read from environment variables and a `.env` file."""

from __future__ import annotations

import ipaddress
import math
import os
import ssl
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dotenv import dotenv_values, load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A real environment variable always wins over the file, so an operator can override one
# setting without editing `.env`.
load_dotenv(BASE_DIR / ".env", override=False)

MIN_SECRET_KEY_LENGTH = 32
# A key chosen at random has far more; "aaaa...", "abcabc..." or "0123..." have next to none.
MIN_SECRET_KEY_BITS = 80
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me-0123456789"
MAKE_A_SECRET_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'
# URLs Flask-Limiter (the limits library) can keep counts in, shared between processes.
REDIS_SCHEMES = {"redis", "rediss"}
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


def env_list(name: str) -> list[str] | None:
    """A comma-separated variable as a list; None when unset or empty."""
    value = env_str(name)
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()] or None


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
    DEFAULT_SECRET_KEY: str | None = DEVELOPMENT_SECRET_KEY
    DEFAULT_LOG_FORMAT = "text"

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
        # Flask-Migrate for `flask db` (it loads Alembic); wsgi.py and celery_worker.py, which
        # never migrate, set this off. The flask CLI always has it.
        self.MIGRATIONS = True

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
        # /dev/webhooks: a receiver inside the app for trying webhooks; development only.
        self.DEV_WEBHOOK_RECEIVER = False

        self.MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 30)
        # The wait for the answer to a message's end (RFC 5321 asks 10 minutes): a server still
        # delivering when we give up gets the message again on the retry (docs/RELIABILITY.md).
        self.MAIL_DATA_TIMEOUT = env_int("MAIL_DATA_TIMEOUT", 300)
        # The ledger is the truth: a claim lives this long unless its sender's heartbeat renews
        # it (a third of it), and every DELIVERY_SWEEP_SECONDS each worker has the sweep queue
        # again whatever is owed and held by nobody (0: no sweep from the worker; beat's stays).
        self.DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 90)
        self.DELIVERY_SWEEP_SECONDS = env_int("DELIVERY_SWEEP_SECONDS", 60)
        # How late a queued job may start before the sweep takes it for lost and queues it again.
        self.DELIVERY_QUEUED_GRACE_SECONDS = env_int("DELIVERY_QUEUED_GRACE_SECONDS", 120)
        # Where each accepted email is marked before the ledger is settled (app/core/email/
        # sent_marks.py); empty means the broker's Redis, else the result backend's.
        self.DELIVERY_MARKS_URL = env_str("DELIVERY_MARKS_URL")
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
        # Recurring tasks appear this long before they are due, so reminders see them.
        self.RECURRING_CREATE_AHEAD_HOURS = env_int("RECURRING_CREATE_AHEAD_HOURS", 24)
        # Occurrences missed while beat was down are created, at most this many per series a run.
        self.RECURRING_MAX_CATCH_UP = env_int("RECURRING_MAX_CATCH_UP", 100)
        self.RECURRING_ARCHIVE_AFTER_DAYS = env_int("RECURRING_ARCHIVE_AFTER_DAYS", 7)
        # Webhooks: how long to wait, how much answer to read, and how to retry.
        self.WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
        self.WEBHOOK_MAX_RESPONSE_BYTES = env_int("WEBHOOK_MAX_RESPONSE_BYTES", 64 * 1024)
        self.WEBHOOK_IMMEDIATE_RETRIES = env_int("WEBHOOK_IMMEDIATE_RETRIES", 3)
        self.WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
        self.WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
        self.WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600)
        self.WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30)
        # Hosts exempt from the private-address refusal; for development receivers only.
        self.WEBHOOK_ALLOWED_HOSTS = env_str("WEBHOOK_ALLOWED_HOSTS", "")
        # Exports are written here; with workers on several machines it must be shared storage
        # (NFS, a mounted volume) that the web processes read too.
        self.EXPORT_DIR = env_str("EXPORT_DIR", str(INSTANCE_DIR / "exports"))
        self.EXPORT_TTL_HOURS = env_int("EXPORT_TTL_HOURS", 24)
        # Rows read and written per batch; progress is saved after each batch.
        self.EXPORT_BATCH_SIZE = env_int("EXPORT_BATCH_SIZE", 1000)
        # SCHEDULE_<JOB_NAME>="minute hour day month weekday" replaces that job's crontab.
        self.CELERY_SCHEDULE_OVERRIDES = schedule_overrides()
        # Beat re-reads the Jobs page's schedule edits this often; no restart needed.
        self.BEAT_SCHEDULE_REFRESH_SECONDS = env_int("BEAT_SCHEDULE_REFRESH_SECONDS", 30)
        # Record every task's state (queued ... failed) in task_runs for the Jobs page.
        self.TASK_TRACKING = env_bool("TASK_TRACKING", True)
        self.TASK_RUN_RETENTION_DAYS = env_int("TASK_RUN_RETENTION_DAYS", 14)

        # Logs: DEBUG, INFO, WARNING, ERROR; text for people, json (one object a line) for
        # log shippers. Production defaults to json.
        self.LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
        self.LOG_FORMAT = (env_str("LOG_FORMAT", self.DEFAULT_LOG_FORMAT) or "text").lower()

        # /readyz: how long each probe may take, and how stale beat's last tick may be.
        self.READYZ_TIMEOUT_SECONDS = env_int("READYZ_TIMEOUT_SECONDS", 2)
        self.READYZ_BEAT_MAX_AGE_SECONDS = env_int("READYZ_BEAT_MAX_AGE_SECONDS", 600)
        # Callers within this many seconds share one answer (per web process).
        self.READYZ_CACHE_SECONDS = env_int("READYZ_CACHE_SECONDS", 2)
        # /metrics asks for "Authorization: Bearer <token>" when this is set.
        self.METRICS_TOKEN = env_str("METRICS_TOKEN", "")

        # Login and forgot-password attempts per client address (every POST counts).
        self.LOGIN_RATE_LIMIT = env_str("LOGIN_RATE_LIMIT", "10 per minute")
        # Failed logins per account, from whatever addresses: past it the account's login waits,
        # but an emailed reset link still works and lifts the lock.
        self.LOGIN_ACCOUNT_RATE_LIMIT = env_str("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")
        # Accepted sign-ups per client address.
        self.REGISTER_RATE_LIMIT = env_str("REGISTER_RATE_LIMIT", "5 per hour")
        # Reset and sign-up emails to one address, whoever asks; past it nothing more is sent.
        self.ACCOUNT_EMAIL_RATE_LIMIT = env_str("ACCOUNT_EMAIL_RATE_LIMIT", "3 per hour")
        # How many reverse proxies in front of gunicorn set X-Forwarded-For/-Proto. 0: none, the
        # client's address is the connection's. With nginx in front (docs/DEPLOY.md) 1. Never
        # more than there are: a client could then name any address it likes.
        self.TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
        # The remember-me cookie is not sent on cross-site requests, like the session cookie.
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.RATELIMIT_HEADERS_ENABLED = True
        # Keys in a Redis shared with Celery: every count starts with this.
        self.RATELIMIT_KEY_PREFIX = env_str("RATELIMIT_KEY_PREFIX", "tickler-ratelimit")
        # With Redis unreachable, count per process rather than refuse every login with a 500.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        # Honour only these Host headers (comma-separated), e.g. tickler.example.com; a request
        # naming another host gets 400. Unset: any host (links in emails never use it anyway).
        self.TRUSTED_HOSTS = env_list("TRUSTED_HOSTS")

        broker_url = env_str("CELERY_BROKER_URL", self.DEFAULT_BROKER_URL)
        self.RATELIMIT_STORAGE_URI = env_str(
            "RATELIMIT_STORAGE_URI",
            self.default_ratelimit_storage(broker_url, env_str("CELERY_RESULT_BACKEND")),
        )
        if urlsplit(self.RATELIMIT_STORAGE_URI or "").scheme in REDIS_SCHEMES:
            # A hung Redis must not hang the login page.
            self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
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
            # seconds (Redis). It must stay above the longest task and the longest countdown
            # (a webhook retry waits up to WEBHOOK_RETRY_MAX_SECONDS), or a job still running
            # or waiting is handed out a second time: problems() refuses a shorter one.
            "broker_transport_options": {
                "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 7200),
                # How often a worker looks for such jobs to put back (kombu: every
                # interval x throttle seconds, 10 x 10 by default).
                **restore_scan_options(env_int("BROKER_RESTORE_SCAN_SECONDS", 100)),
                # Redis priorities: one list per step, the most urgent read first.
                "priority_steps": list(range(10)),
                "sep": ":",
                "queue_order_strategy": "priority",
            },
            "task_default_priority": 5,
            # A cold shutdown (SIGQUIT, or SIGTERM with REMAP_SIGTERM=SIGQUIT in the worker's
            # environment, as deploy/ sets it) first lets running jobs finish for this long, then
            # cancels the late-acknowledged ones and puts them back on the queue at once, instead
            # of leaving them to come back only after the visibility timeout. Below the
            # supervisor's stop timeout (systemd 600 s here; Docker 10 s, Kubernetes 30 s).
            "worker_soft_shutdown_timeout": float(env_int("WORKER_SOFT_SHUTDOWN_TIMEOUT", 25)),
            # A job whose pool process died (OOM killer, SIGKILL) goes back to the queue.
            "task_reject_on_worker_lost": True,
            # Task events, for Flower (`celery -A celery_worker flower`) and `celery events`:
            # sent, started, retried, succeeded and failed, as the workers saw them.
            "worker_send_task_events": True,
            "task_send_sent_event": True,
            # Beat takes the Jobs page's edits (schedule_settings) on top of code and config.
            "beat_scheduler": "app.operations.beat_scheduler:DatabaseScheduler",
        }
        redis_settings = redis_connection_settings(
            broker_url, self.CELERY["result_backend"], env_str("CELERY_SENTINEL_MASTER")
        )
        self.CELERY["broker_transport_options"].update(
            redis_settings.pop("broker_transport_options", {})
        )
        self.CELERY.update(redis_settings)

    def default_ratelimit_storage(self, broker_url: str | None, backend_url: str | None) -> str:
        """Development and tests count login attempts per process."""
        return "memory://"

    def problems(self) -> list[str]:
        """What stops this environment from starting; empty when all is well."""
        return visibility_problems(self)

    def longest_wait_seconds(self) -> float:
        """The longest a job can sit unacknowledged by design: a countdown (retries with
        jitter up to 1.5 x the cap, a webhook retry, the notification batching window)."""
        return max(
            self.MAIL_RETRY_MAX_SECONDS * 1.5,
            self.WEBHOOK_RETRY_MAX_SECONDS,
            self.NOTIFICATION_BATCH_SECONDS,
        )

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key.isupper()}


def restore_scan_options(every_seconds: int) -> dict[str, int]:
    """kombu's Redis transport scans for expired unacknowledged jobs every interval x throttle
    seconds; one setting for both."""
    interval = max(1, min(10, every_seconds))
    return {
        "unacked_restore_interval": interval,
        "unacked_restore_throttle": max(1, round(every_seconds / interval)),
    }


def visibility_problems(config: Config) -> list[str]:
    """A visibility timeout at or below the longest countdown hands a waiting job out twice."""
    timeout = config.CELERY["broker_transport_options"].get("visibility_timeout")
    longest = config.longest_wait_seconds()
    if timeout is not None and timeout <= longest:
        return [
            f"BROKER_VISIBILITY_TIMEOUT={timeout} is not above the longest countdown "
            f"({longest:.0f} s): a waiting job would be redelivered to a second worker. "
            f"Raise it (default 7200) or lower the retry caps."
        ]
    return []


SSL_CERT_REQS = {
    "required": ssl.CERT_REQUIRED,
    "optional": ssl.CERT_OPTIONAL,
    "none": ssl.CERT_NONE,
}


def redis_ssl_options(url: str, name: str) -> dict[str, Any]:
    """TLS settings for a rediss:// URL, from its query (ssl_cert_reqs, ssl_ca_certs, ...).

    Certificates are checked unless the URL says ssl_cert_reqs=none."""
    query = {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}
    wanted = query.get("ssl_cert_reqs", "required").lower().removeprefix("cert_")
    if wanted not in SSL_CERT_REQS:
        raise ConfigError(
            f"{name} has ssl_cert_reqs={query['ssl_cert_reqs']!r}: use required, optional or none."
        )
    options: dict[str, Any] = {"ssl_cert_reqs": SSL_CERT_REQS[wanted]}
    for key in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile"):
        if query.get(key):
            options[key] = query[key]
    return options


def redis_connection_settings(
    broker_url: str | None, backend_url: str | None, sentinel_master: str | None
) -> dict[str, Any]:
    """The Celery settings a Redis URL needs beyond itself: TLS for rediss://, the master's name
    for Redis Sentinel (sentinel://:p@s1:26379;sentinel://:p@s2:26379)."""
    settings: dict[str, Any] = {}
    broker_scheme = urlsplit(broker_url or "").scheme.lower()
    backend_scheme = urlsplit(backend_url or "").scheme.lower()
    if broker_scheme == "rediss":
        settings["broker_use_ssl"] = redis_ssl_options(broker_url or "", "CELERY_BROKER_URL")
    if backend_scheme == "rediss":
        name = "CELERY_RESULT_BACKEND" if backend_url != broker_url else "CELERY_BROKER_URL"
        settings["redis_backend_use_ssl"] = redis_ssl_options(backend_url or "", name)
    if "sentinel" in (broker_scheme, backend_scheme) and not sentinel_master:
        raise ConfigError(
            "A sentinel:// URL needs CELERY_SENTINEL_MASTER, the name of the Redis master "
            "the sentinels watch (e.g. mymaster)."
        )
    if broker_scheme == "sentinel":
        settings["broker_transport_options"] = {"master_name": sentinel_master}
    if backend_scheme == "sentinel":
        settings["result_backend_transport_options"] = {"master_name": sentinel_master}
    return settings


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
        self.DEV_WEBHOOK_RECEIVER = True


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
        # Each test sees a fresh readiness answer unless it asks for the cache.
        self.READYZ_CACHE_SECONDS = 0
        # The in-process test worker sweeps nothing unasked: tests set their own clocks.
        self.DELIVERY_SWEEP_SECONDS = env_int("DELIVERY_SWEEP_SECONDS", 0)


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEFAULT_DATABASE_URL = None
    DEFAULT_BROKER_URL = None
    DEFAULT_SECRET_KEY = None
    DEFAULT_LOG_FORMAT = "json"

    def __init__(self) -> None:
        super().__init__()
        # Every emailed link is built from it: production never guesses it.
        self.APP_BASE_URL = env_str("APP_BASE_URL")
        self.SESSION_COOKIE_SECURE = True
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.PREFERRED_URL_SCHEME = "https"

    def default_ratelimit_storage(self, broker_url: str | None, backend_url: str | None) -> str:
        """Login attempts are counted in Redis, so every web process shares one count: the
        broker's Redis, else the result backend's; empty (a problem) when neither is Redis."""
        for url in (broker_url, backend_url):
            if url and urlsplit(url).scheme in REDIS_SCHEMES:
                return url
        return ""

    def problems(self) -> list[str]:
        found = super().problems()
        found.extend(app_base_url_problems(self.APP_BASE_URL))
        if not self.RATELIMIT_STORAGE_URI:
            found.append(
                "RATELIMIT_STORAGE_URI is not set and the broker is not Redis: point it at a "
                "Redis every web process reaches (redis://host:6379/1), so login attempts are "
                "counted across processes; memory:// counts per process."
            )
        found.extend(secret_key_problems(self.SECRET_KEY))
        if not self.METRICS_TOKEN:
            found.append(
                "METRICS_TOKEN is not set: /metrics and the details of /readyz need it "
                f"(Authorization: Bearer <token>); generate one with `{MAKE_A_SECRET_KEY}`."
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


def secret_key_problems(key: str | None) -> list[str]:
    """Why a production SECRET_KEY is not secret: unset, short, the development key printed
    above, or so regular it could be guessed. Anyone holding it signs sessions and links."""
    make_one = f"generate one with `{MAKE_A_SECRET_KEY}`."
    if not key:
        return [f"SECRET_KEY is not set: {make_one}"]
    if key == DEVELOPMENT_SECRET_KEY:
        return [f"SECRET_KEY is the development key printed in config.py: {make_one}"]
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return [
            f"SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random characters; "
            + make_one
        ]
    if estimated_bits(key) < MIN_SECRET_KEY_BITS or repeats_itself(key):
        return [f"SECRET_KEY is not random (repeated or sequential characters): {make_one}"]
    return []


def estimated_bits(text: str) -> float:
    """A generous guess of a string's randomness: its length times the Shannon entropy of its
    characters, or of the steps between neighbours if lower ("abcd..." steps by 1 each time)."""
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)]
    return len(text) * min(shannon_entropy(list(text)), shannon_entropy(steps))


def development_key_exposure(
    env: Mapping[str, str], secret_key: str | None, hosts: Iterable[str]
) -> str | None:
    """The start-up warning for a server listening beyond this machine with TICKLER_ENV unset
    and the development SECRET_KEY: anyone who reads config.py can sign sessions and links."""
    exposed = sorted({host for host in hosts if not is_local_bind_host(host)})
    if env.get("TICKLER_ENV") or secret_key != DEVELOPMENT_SECRET_KEY or not exposed:
        return None
    rule = "!" * 78
    return "\n".join(
        [
            rule,
            f"!! Tickler listens on {', '.join(exposed)} with the DEVELOPMENT SECRET_KEY.",
            "!! It is printed in config.py: anyone can forge sessions, unsubscribe links and",
            "!! Mark done links. TICKLER_ENV is not set, so this runs in development mode.",
            f"!! Set TICKLER_ENV=production and a SECRET_KEY from `{MAKE_A_SECRET_KEY}`,",
            "!! or listen on 127.0.0.1 only.",
            rule,
        ]
    )


def is_local_bind_host(host: str) -> bool:
    """Loopback names and addresses, and unix sockets: reachable from this machine only."""
    if host.startswith("unix:") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def repeats_itself(text: str) -> bool:
    """Whether the text is a shorter piece written out at least twice ("Passw0rdPassw0rd")."""
    return any(
        all(text[i] == text[i - period] for i in range(period, len(text)))
        for period in range(1, len(text) // 2 + 1)
    )


def shannon_entropy(symbols: list[Any]) -> float:
    """Bits per symbol of the symbols' own frequencies (0 for one repeated symbol)."""
    if not symbols:
        return 0.0
    total = len(symbols)
    counts: dict[Any, int] = {}
    for symbol in symbols:
        counts[symbol] = counts.get(symbol, 0) + 1
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def app_base_url_problems(url: str | None) -> list[str]:
    """Links in emails start with APP_BASE_URL; it must be a full http(s) address."""
    if not url:
        return [
            "APP_BASE_URL is not set: give the address people open Tickler at, "
            "e.g. https://tickler.example.com (links in emails are built from it)."
        ]
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return [
            f"APP_BASE_URL={url!r} is not a full http(s) address like https://tickler.example.com."
        ]
    return []


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
