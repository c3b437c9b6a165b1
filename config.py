"""Settings for each environment, read from environment variables and a `.env` file."""

from __future__ import annotations

import ipaddress
import math
import os
import re
import ssl
from collections.abc import Iterable, Mapping
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

import limits
from dotenv import dotenv_values, load_dotenv
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# `.env` goes into the process environment first, never over a real variable, so an operator
# can override one setting without editing the file, and everything that reads the environment
# (the settings below, SCHEDULE_*, gunicorn's start-up checks, child processes) sees the same.
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


def split_commas(value: Any) -> Any:
    """Split "a.example, b.example" into host names; None when nothing is left."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()] or None
    return value


def parsed_rate_limit(value: str) -> str:
    """Refuse at start-up what Flask-Limiter could not read at the first login."""
    try:
        limits.parse_many(value)
    except ValueError:
        raise ValueError("is not a rate limit like '10 per minute' or '5 per 15 minutes'") from None
    return value


def zero_means_off(value: int | None) -> int | None:
    """0 days, like unset, turns the job's deleting off."""
    return value or None


def lower_case(value: str | None) -> str | None:
    """JSON and json are one log format."""
    return value.lower() if value else value


def usable_database_url(value: str | None) -> str | None:
    """Refuse at start-up a URL SQLAlchemy could not open, rather than fail at the first query."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if value is None:
        return value
    try:
        make_url(normalise_database_url(value) or "").get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ValueError(
            "names a database Tickler has no driver for: use PostgreSQL (postgresql://...), "
            "or SQLite (sqlite:///path) outside production"
        ) from None
    except (ArgumentError, ValueError):
        raise ValueError(
            "is not a database URL like postgresql://tickler:PASSWORD@db-host:5432/tickler"
        ) from None
    return value


# The kinds of value the settings take; a value of the wrong kind stops Tickler at start-up.
Seconds = Annotated[int, Field(ge=0)]
Hours = Annotated[int, Field(ge=0)]
Days = Annotated[int, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]
Size = Annotated[int, Field(ge=1)]
HourOfDay = Annotated[int, Field(ge=0, le=23)]
Port = Annotated[int, Field(ge=1, le=65535)]
RateLimit = Annotated[str, AfterValidator(parsed_rate_limit)]
HostNames = Annotated[list[str] | None, NoDecode, BeforeValidator(split_commas)]
DatabaseURL = Annotated[str | None, AfterValidator(usable_database_url)]


class EnvironmentSettings(BaseSettings):
    """Variables read by their exact names; an empty or blank one counts as unset."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The process environment only: `.env` is already in it (load_dotenv above)."""
        return (env_settings,)

    @model_validator(mode="before")
    @classmethod
    def blank_means_unset(cls, values: Any) -> Any:
        """`MAIL_SERVER=` in `.env` (as .env.example has it) means "use the default"."""
        if not isinstance(values, dict):
            return values
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in values.items()
            if not (isinstance(value, str) and not value.strip())
        }


class Startup(EnvironmentSettings):
    """Read before the rest: they decide which settings apply and where they come from."""

    # development (default), testing or production: DevelopmentConfig, TestingConfig or
    # ProductionConfig below.
    TICKLER_ENV: str = "development"
    # "off": a command in another terminal ignores a running `make run`'s Redis, mailbox and
    # database (instance/devstack/runtime.env).
    TICKLER_DEVSTACK_SETTINGS: Literal["on", "off"] = "on"


class Settings(EnvironmentSettings):
    """Every setting an operator can give, by its variable's name (.env.example explains each).

    Each reaches app.config under its own name, except those marked exclude=True, which go
    into another setting (SQLALCHEMY_DATABASE_URI, DEBUG, CELERY). Where the default is None,
    the environment's Config class below chooses it; production refuses to guess."""

    # --- The app ---------------------------------------------------------------------------
    # Signs sessions and emailed links. REQUIRED IN PRODUCTION: 32+ random characters.
    # Unset in development: DEVELOPMENT_SECRET_KEY above (testing always uses its own key).
    SECRET_KEY: str | None = None
    # REQUIRED IN PRODUCTION: the address people open Tickler at; emailed links start with it.
    # Unset in development: http://127.0.0.1:5000.
    APP_BASE_URL: str | None = None
    # Honour only these Host headers (comma-separated), e.g. tickler.example.com; a request
    # naming another host gets 400. Unset: any host (links in emails never use it anyway).
    TRUSTED_HOSTS: HostNames = None
    # Tasks per page in a project's task list.
    TASKS_PER_PAGE: Size = 25
    # Bytes a request body may have; a larger one gets a 413 page before anything reads it.
    # 10 MB, as nginx's client_max_body_size in docs/DEPLOY.md: the same limit with or without
    # the proxy (`make run`, gunicorn reached directly).
    MAX_CONTENT_LENGTH: Size = 10 * 1024 * 1024
    # Flask's debugger, development only (becomes DEBUG).
    FLASK_DEBUG: bool = Field(False, exclude=True)

    # --- Database --------------------------------------------------------------------------
    # REQUIRED IN PRODUCTION: PostgreSQL (postgres:// and postgresql:// both work). Unset in
    # development: SQLite at instance/tickler.db. Becomes SQLALCHEMY_DATABASE_URI.
    DATABASE_URL: DatabaseURL = Field(None, exclude=True)
    # The test suite's database, in place of DATABASE_URL. Unset: in-memory SQLite.
    TEST_DATABASE_URL: DatabaseURL = Field(None, exclude=True)

    # --- Email -----------------------------------------------------------------------------
    MAIL_SERVER: str = "localhost"
    MAIL_PORT: Port = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # STARTTLS on MAIL_PORT (usually 587); MAIL_USE_SSL: implicit TLS (usually 465).
    MAIL_USE_TLS: bool = False
    MAIL_USE_SSL: bool = False
    # REQUIRED IN PRODUCTION: the address emails come from, on a domain you own, e.g.
    # "Tickler <tickler@example.com>". It is also the bounce address (SMTP MAIL FROM) and the
    # domain of every Message-ID; docs/DEPLOY.md lists the SPF, DKIM and DMARC records.
    MAIL_DEFAULT_SENDER: str = "Tickler <tickler@localhost>"
    # Where a reply to an email goes (Reply-To). Unset: MAIL_DEFAULT_SENDER's address.
    MAIL_REPLY_TO: str | None = None
    # DKIM signing, on when DKIM_PRIVATE_KEY_PATH names a PEM private key: the signature is
    # published as DKIM_SELECTOR._domainkey.DKIM_DOMAIN (unset domain: MAIL_DEFAULT_SENDER's).
    DKIM_PRIVATE_KEY_PATH: str | None = None
    DKIM_SELECTOR: str | None = None
    DKIM_DOMAIN: str | None = None
    # Flask-Mail silently drops mail when TESTING is on; our tests use a real SMTP server.
    MAIL_SUPPRESS_SEND: bool = False
    # Where the development SMTP server keeps what it receives, shown at /dev/mail.
    DEV_MAILBOX_DIR: str | None = None
    # Seconds to wait for the SMTP server on a connection or a command.
    MAIL_TIMEOUT: Seconds = 30
    # The wait for the answer to a message's end (RFC 5321 asks 10 minutes): a server still
    # delivering when we give up gets the message again on the retry (docs/RELIABILITY.md).
    MAIL_DATA_TIMEOUT: Seconds = 300
    # The ledger is the truth: a claim lives this long unless its sender's heartbeat renews
    # it (a third of it), and every DELIVERY_SWEEP_SECONDS each worker has the sweep queue
    # again whatever is owed and held by nobody (0: no sweep from the worker; beat's stays).
    # Testing: 0 unless set, since the tests set their own clocks.
    DELIVERY_LEASE_SECONDS: Seconds = 90
    DELIVERY_SWEEP_SECONDS: Seconds = 60
    # How late a queued job may start before the sweep takes it for lost and queues it again.
    DELIVERY_QUEUED_GRACE_SECONDS: Seconds = 120
    # Where each accepted email is marked before the ledger is settled (app/core/email/
    # sent_marks.py); unset means the broker's Redis, else the result backend's.
    DELIVERY_MARKS_URL: str | None = None
    # Transient SMTP failures retry after base * 2^n seconds (with jitter), at most max.
    MAIL_RETRY_BASE_SECONDS: Seconds = 30
    MAIL_RETRY_MAX_SECONDS: Seconds = 600

    # --- Inbound mail (docs/DEPLOY.md, "Email both ways") ------------------------------------
    # The mailbox replies and mailed-in tasks arrive at, e.g. tickler@example.com. Each email
    # Tickler sends names a plus-address of it (tickler+r-...@example.com) that says who and
    # which task; each project has one for new tasks; bounces come back to one per delivery.
    # Unset: inbound mail is off (no reply addresses, no bounce addresses, nothing polled).
    INBOUND_ADDRESS: str | None = None
    # What joins the mailbox name and the token: "+" (Gmail, Fastmail, Dovecot, Postfix) or
    # "-" (qmail, some Exim setups).
    INBOUND_ADDRESS_SEPARATOR: Annotated[str, Field(pattern=r"^[+\-=_.]$")] = "+"
    # The IMAP mailbox Tickler polls (every minute from beat; at once with `flask inbound
    # idle` where the server offers IDLE). Unset host: no IMAP polling.
    INBOUND_IMAP_HOST: str | None = None
    INBOUND_IMAP_PORT: Port = 993
    INBOUND_IMAP_USERNAME: str | None = None
    INBOUND_IMAP_PASSWORD: str | None = None
    # ssl (implicit TLS, port 993), starttls (port 143) or none (loopback only).
    INBOUND_IMAP_SECURITY: Annotated[str, Field(pattern=r"^(ssl|starttls|none)$")] = "ssl"
    # A CA bundle for a server whose certificate no public CA signed (self-hosted Dovecot).
    INBOUND_IMAP_CA_FILE: str | None = None
    INBOUND_IMAP_FOLDER: str = "INBOX"
    # Handled messages are moved here (created when missing); nothing is ever deleted.
    INBOUND_IMAP_DONE_FOLDER: str = "Tickler/Processed"
    # Development and pipes: a Maildir polled instead of (or as well as) IMAP.
    INBOUND_MAILDIR: str | None = None
    # The optional LMTP receiver (`flask inbound lmtp`) for operators who pipe mail in.
    INBOUND_LMTP_HOST: str = "127.0.0.1"
    INBOUND_LMTP_PORT: Port = 2525
    # A reply address stops working this many days after the email that carried it.
    INBOUND_REPLY_TOKEN_DAYS: Days = 180
    # Larger messages are moved aside unread, with a note in Admin > Inbound mail.
    INBOUND_MAX_MESSAGE_BYTES: Count = 25 * 1024 * 1024
    # Messages handled per sender; past it the rest are set aside (a mail storm, a loop).
    INBOUND_SENDER_RATE_LIMIT: RateLimit = "30 per hour"
    # Answers (a refusal's polite explanation) to one address; past it Tickler stays silent.
    INBOUND_ANSWER_RATE_LIMIT: RateLimit = "3 per hour"
    # Soft bounces (mailbox full, greylisted for good) since the address was last confirmed,
    # before it counts as undeliverable; one hard bounce (no such user) is enough.
    INBOUND_SOFT_BOUNCE_LIMIT: Count = 5

    # --- Scheduled emails and upkeep -------------------------------------------------------
    # Digests reach each person at these hours of their own local day.
    REMINDER_HOUR: HourOfDay = 8
    OVERDUE_ALERT_HOUR: HourOfDay = 9
    WEEKLY_SUMMARY_HOUR: HourOfDay = 10
    # 0 = Monday ... 6 = Sunday.
    WEEKLY_SUMMARY_WEEKDAY: Annotated[int, Field(ge=0, le=6)] = 0
    # Recipients per sending job: each renders its emails and sends them over one connection.
    DIGEST_CHUNK_SIZE: Size = 100
    # Tasks a digest lists, the most urgent first, before "and N more" (a link to the rest):
    # 25 keeps every digest far below Gmail's 102 KB clip (tests/digests/test_size.py).
    DIGEST_MAX_ROWS: Annotated[int, Field(ge=3, le=50)] = 25
    # Task events wait this long so several quick changes make one email, not several.
    NOTIFICATION_BATCH_SECONDS: Seconds = 120
    NOTIFICATION_RETENTION_DAYS: Days = 90
    # A task still open this many days after its due date is escalated once to the owner.
    OVERDUE_ESCALATE_DAYS: Days = 3
    # Completed tasks are archived this many days after completion.
    CLEANUP_AFTER_DAYS: Days = 30
    # Deleting archived tasks is off (None) unless an operator sets a number of days; 0: off.
    CLEANUP_DELETE_AFTER_DAYS: Annotated[Days | None, AfterValidator(zero_means_off)] = None
    # Deleted tasks and projects stay restorable in the Trash this many days, then are purged.
    TRASH_RETENTION_DAYS: Days = 30
    # Recurring tasks appear this long before they are due, so reminders see them.
    RECURRING_CREATE_AHEAD_HOURS: Hours = 24
    # Occurrences missed while beat was down are created, at most this many per series a run.
    RECURRING_MAX_CATCH_UP: Count = 100
    RECURRING_ARCHIVE_AFTER_DAYS: Days = 7
    # Beat re-reads the Jobs page's schedule edits this often; no restart needed.
    # (SCHEDULE_<JOB_NAME>="minute hour day month weekday" replaces that job's crontab.)
    BEAT_SCHEDULE_REFRESH_SECONDS: Seconds = 30
    # Record every task's state (queued ... failed) in task_runs for the Jobs page.
    TASK_TRACKING: bool = True
    TASK_RUN_RETENTION_DAYS: Days = 14

    # --- Webhooks --------------------------------------------------------------------------
    # How long to wait, how much answer to read, and how to retry.
    WEBHOOK_TIMEOUT_SECONDS: Seconds = 10
    WEBHOOK_MAX_RESPONSE_BYTES: Count = 64 * 1024
    WEBHOOK_IMMEDIATE_RETRIES: Count = 3
    WEBHOOK_MAX_ATTEMPTS: Count = 8
    WEBHOOK_RETRY_BASE_SECONDS: Seconds = 30
    WEBHOOK_RETRY_MAX_SECONDS: Seconds = 3600
    WEBHOOK_DELIVERY_RETENTION_DAYS: Days = 30
    # Hosts exempt from the private-address refusal (comma-separated); development only.
    WEBHOOK_ALLOWED_HOSTS: str = ""

    # --- Exports ---------------------------------------------------------------------------
    # Exports are written here; with workers on several machines it must be shared storage
    # (NFS, a mounted volume) that the web processes read too.
    EXPORT_DIR: str = str(INSTANCE_DIR / "exports")
    EXPORT_TTL_HOURS: Hours = 24
    # Rows read and written per batch; progress is saved after each batch.
    EXPORT_BATCH_SIZE: Size = 1000

    # --- Logs, health and metrics ----------------------------------------------------------
    # DEBUG, INFO, WARNING, ERROR; text for people, json (one object a line) for log
    # shippers. Unset LOG_FORMAT: json in production, text elsewhere.
    LOG_LEVEL: Annotated[str, AfterValidator(str.upper)] = "INFO"
    LOG_FORMAT: Annotated[str | None, AfterValidator(lower_case)] = None
    # /readyz: how long each probe may take, and how stale beat's last tick may be.
    READYZ_TIMEOUT_SECONDS: Seconds = 2
    READYZ_BEAT_MAX_AGE_SECONDS: Seconds = 600
    # Callers within this many seconds share one answer (per web process).
    READYZ_CACHE_SECONDS: Seconds = 2
    # /metrics asks for "Authorization: Bearer <token>" when this is set. REQUIRED IN
    # PRODUCTION.
    METRICS_TOKEN: str = ""

    # --- Login protection ------------------------------------------------------------------
    # Login and forgot-password attempts per client address (every POST counts).
    LOGIN_RATE_LIMIT: RateLimit = "10 per minute"
    # Failed logins per account, from whatever addresses: past it the account's login waits,
    # but an emailed reset link still works and lifts the lock.
    LOGIN_ACCOUNT_RATE_LIMIT: RateLimit = "10 per 15 minutes"
    # Accepted sign-ups per client address.
    REGISTER_RATE_LIMIT: RateLimit = "5 per hour"
    # Reset and sign-up emails to one address, whoever asks; past it nothing more is sent.
    ACCOUNT_EMAIL_RATE_LIMIT: RateLimit = "3 per hour"
    # REST API requests per personal access token (not per address), in the same store.
    API_RATE_LIMIT: RateLimit = "600 per minute"
    # Where the counts are kept. Unset: memory:// (per process) in development and testing;
    # in production the broker's Redis, else the result backend's (see ProductionConfig).
    RATELIMIT_STORAGE_URI: str | None = None
    # Keys in a Redis shared with Celery: every count starts with this.
    RATELIMIT_KEY_PREFIX: str = "tickler-ratelimit"
    # How many reverse proxies in front of gunicorn set X-Forwarded-For/-Proto. 0: none, the
    # client's address is the connection's. With nginx in front (docs/DEPLOY.md) 1. Never
    # more than there are: a client could then name any address it likes.
    TRUSTED_PROXY_COUNT: Count = 0

    # --- Celery (all go into CELERY) -------------------------------------------------------
    # REQUIRED IN PRODUCTION: Redis (redis://, rediss:// for TLS, sentinel://) or RabbitMQ
    # (amqp://). Unset in development: redis://localhost:6379/0.
    CELERY_BROKER_URL: str | None = Field(None, exclude=True)
    # Where task results are kept. Unset: the broker URL.
    CELERY_RESULT_BACKEND: str | None = Field(None, exclude=True)
    # The name of the Redis master the sentinels watch, for sentinel:// URLs (e.g. mymaster).
    CELERY_SENTINEL_MASTER: str | None = Field(None, exclude=True)
    # The timezone beat reads crontab schedules in.
    CELERY_TIMEZONE: str = Field("UTC", exclude=True)
    # Seconds a task's result is kept in the result backend.
    CELERY_RESULT_EXPIRES: Seconds = Field(24 * 3600, exclude=True)
    # A job whose worker died unacknowledged returns to the queue after this many seconds
    # (Redis). It must stay above the longest task and the longest countdown, or a job still
    # running or waiting is handed out a second time: problems() refuses a shorter one.
    BROKER_VISIBILITY_TIMEOUT: Seconds = Field(7200, exclude=True)
    # How often (seconds) a worker looks for such jobs to put back.
    BROKER_RESTORE_SCAN_SECONDS: Seconds = Field(100, exclude=True)
    # Seconds a cold shutdown lets running jobs finish before it puts them back on the queue.
    WORKER_SOFT_SHUTDOWN_TIMEOUT: Seconds = Field(25, exclude=True)


# How a value pydantic refused is explained, by the kind of mistake.
MISTAKES = {
    "int_parsing": "is not a whole number.",
    "bool_parsing": "is not a boolean: use true or false.",
}


def read_settings(kind: type[EnvironmentSettings], env_name: str | None) -> Any:
    """The settings of `kind` from the environment, or a ConfigError naming each bad one."""
    try:
        return kind()
    except ValidationError as error:
        mode = f" in {env_name} mode" if env_name else ""
        lines = "\n".join(f"  - {explain_mistake(mistake)}" for mistake in error.errors())
        raise ConfigError(f"Tickler cannot start{mode}:\n{lines}") from None


def without_password(value: Any) -> Any:
    """A URL as an error message may show it: scheme://user:***@host/..."""
    if isinstance(value, str):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", value)
    return value


def explain_mistake(mistake: Mapping[str, Any]) -> str:
    """`MAIL_PORT='abc' is not a whole number.`: the variable, its value, what is wrong."""
    name = str(mistake["loc"][0]) if mistake["loc"] else "?"
    said = f"{name}={without_password(mistake['input'])!r}"
    if mistake["type"] in MISTAKES:
        return f"{said} {MISTAKES[mistake['type']]}"
    if mistake["type"] == "value_error":
        return f"{said} {mistake.get('ctx', {}).get('error', mistake['msg'])}."
    wanted = mistake["msg"].removeprefix("Input should be ")
    return f"{said} is not allowed: it should be {wanted}."


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
    # What an unset variable means here; production sets them to None, so it never guesses.
    DEFAULT_DATABASE_URL: str | None = sqlite_url("tickler.db")
    DEFAULT_BROKER_URL: str | None = "redis://localhost:6379/0"
    DEFAULT_SECRET_KEY: str | None = DEVELOPMENT_SECRET_KEY
    DEFAULT_APP_BASE_URL: str | None = "http://127.0.0.1:5000"
    DEFAULT_LOG_FORMAT = "text"

    def __init__(self) -> None:
        settings: Settings = read_settings(Settings, self.ENV_NAME)
        self.settings = settings
        # Every setting under its own name, as Flask, its extensions and the app read them.
        vars(self).update(settings.model_dump())
        self.TICKLER_ENV = self.ENV_NAME
        self.DEBUG = False
        self.TESTING = False
        self.SECRET_KEY = settings.SECRET_KEY or self.DEFAULT_SECRET_KEY
        self.APP_BASE_URL = settings.APP_BASE_URL or self.DEFAULT_APP_BASE_URL
        self.LOG_FORMAT = settings.LOG_FORMAT or self.DEFAULT_LOG_FORMAT
        # The languages people may choose, each with a complete catalog in app/translations.
        self.LANGUAGES = ("en", "de", "es", "fr", "ja")
        self.BABEL_DEFAULT_LOCALE = "en"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(self.database_url(settings))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # Flask-Migrate for `flask db` (it loads Alembic); wsgi.py and celery_worker.py, which
        # never migrate, set this off. The flask CLI always has it.
        self.MIGRATIONS = True
        # /dev/webhooks: a receiver inside the app for trying webhooks; development only.
        self.DEV_WEBHOOK_RECEIVER = False
        # SCHEDULE_<JOB_NAME>="minute hour day month weekday" replaces that job's crontab.
        self.CELERY_SCHEDULE_OVERRIDES = schedule_overrides()
        # The remember-me cookie is not sent on cross-site requests, like the session cookie.
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.RATELIMIT_HEADERS_ENABLED = True
        # With Redis unreachable, count per process rather than refuse every login with a 500.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

        broker_url = settings.CELERY_BROKER_URL or self.DEFAULT_BROKER_URL
        self.RATELIMIT_STORAGE_URI = settings.RATELIMIT_STORAGE_URI or (
            self.default_ratelimit_storage(broker_url, settings.CELERY_RESULT_BACKEND)
        )
        if urlsplit(self.RATELIMIT_STORAGE_URI or "").scheme in REDIS_SCHEMES:
            # A hung Redis must not hang the login page.
            self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
        self.CELERY = celery_settings(settings, broker_url)

    def database_url(self, settings: Settings) -> str | None:
        """DATABASE_URL, else this environment's default."""
        return settings.DATABASE_URL or self.DEFAULT_DATABASE_URL

    def default_ratelimit_storage(self, broker_url: str | None, backend_url: str | None) -> str:
        """Development and tests count login attempts per process."""
        return "memory://"

    def problems(self) -> list[str]:
        """What stops this environment from starting; empty when all is well."""
        return [*visibility_problems(self), *dkim_problems(self.settings)]

    def longest_wait_seconds(self) -> float:
        """The longest a job can sit unacknowledged by design: a countdown (retries with
        jitter up to 1.5 x the cap, a webhook retry, the notification batching window)."""
        return max(
            self.settings.MAIL_RETRY_MAX_SECONDS * 1.5,
            self.settings.WEBHOOK_RETRY_MAX_SECONDS,
            self.settings.NOTIFICATION_BATCH_SECONDS,
        )

    def as_dict(self) -> dict[str, Any]:
        """The settings Flask gets: every upper-case attribute."""
        return {key: value for key, value in vars(self).items() if key.isupper()}


def celery_settings(settings: Settings, broker_url: str | None) -> dict[str, Any]:
    """Celery's settings (app.config["CELERY"]) from the broker URL and the Celery variables."""
    backend_url = settings.CELERY_RESULT_BACKEND or broker_url
    celery: dict[str, Any] = {
        "broker_url": broker_url,
        "result_backend": backend_url,
        "timezone": settings.CELERY_TIMEZONE,
        "enable_utc": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_expires": settings.CELERY_RESULT_EXPIRES,
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
            "visibility_timeout": settings.BROKER_VISIBILITY_TIMEOUT,
            # How often a worker looks for such jobs to put back (kombu: every
            # interval x throttle seconds, 10 x 10 by default).
            **restore_scan_options(settings.BROKER_RESTORE_SCAN_SECONDS),
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
        "worker_soft_shutdown_timeout": float(settings.WORKER_SOFT_SHUTDOWN_TIMEOUT),
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
        broker_url, backend_url, settings.CELERY_SENTINEL_MASTER
    )
    celery["broker_transport_options"].update(redis_settings.pop("broker_transport_options", {}))
    celery.update(redis_settings)
    return celery


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def __init__(self) -> None:
        load_devstack_settings()
        super().__init__()
        self.DEBUG = self.settings.FLASK_DEBUG
        self.DEV_WEBHOOK_RECEIVER = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    DEFAULT_DATABASE_URL = "sqlite://"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key-0123456789abcdef0123"
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.MAIL_SERVER = "127.0.0.1"
        self.MAIL_PORT = 8025
        self.APP_BASE_URL = "http://localhost"
        # Each test sees a fresh readiness answer unless it asks for the cache.
        self.READYZ_CACHE_SECONDS = 0
        # The in-process test worker sweeps nothing unasked: tests set their own clocks.
        if "DELIVERY_SWEEP_SECONDS" not in self.settings.model_fields_set:
            self.DELIVERY_SWEEP_SECONDS = 0

    def database_url(self, settings: Settings) -> str | None:
        """The suite's own database: TEST_DATABASE_URL, never DATABASE_URL."""
        return settings.TEST_DATABASE_URL or self.DEFAULT_DATABASE_URL


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEFAULT_DATABASE_URL = None
    DEFAULT_BROKER_URL = None
    DEFAULT_SECRET_KEY = None
    # Every emailed link is built from it: production never guesses it.
    DEFAULT_APP_BASE_URL = None
    DEFAULT_LOG_FORMAT = "json"

    def __init__(self) -> None:
        super().__init__()
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
        found.extend(app_base_url_problems(self.APP_BASE_URL, https_only=True))
        found.extend(mail_sender_problems(self.settings))
        if not self.RATELIMIT_STORAGE_URI:
            found.append(
                "RATELIMIT_STORAGE_URI is not set and the broker is not Redis: point it at a "
                "Redis every web process reaches (redis://host:6379/1), so login attempts are "
                "counted across processes; memory:// counts per process."
            )
        found.extend(secret_key_problems(self.SECRET_KEY))
        if not self.settings.METRICS_TOKEN:
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


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Build the settings for `name` (default: TICKLER_ENV, else development) and check them."""
    env_name = name or read_settings(Startup, None).TICKLER_ENV
    if env_name not in CONFIGS:
        known = ", ".join(sorted(CONFIGS))
        raise ConfigError(f"TICKLER_ENV={env_name!r} is unknown: use one of {known}.")
    config = CONFIGS[env_name]()
    problems = config.problems()
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigError(f"Tickler cannot start in {env_name} mode:\n{lines}")
    return config


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
    startup: Startup = read_settings(Startup, "development")
    if startup.TICKLER_DEVSTACK_SETTINGS == "off" or not path.exists():
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


def app_base_url_problems(url: str | None, https_only: bool = False) -> list[str]:
    """Links in emails start with APP_BASE_URL; it must be a full http(s) address, https in
    production (RFC 8058's one-click unsubscribe link must be https)."""
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
    if https_only and parts.scheme != "https":
        return [
            f"APP_BASE_URL={url!r} is not https: production links (and the one-click "
            "unsubscribe link mail clients POST to, RFC 8058) need https://."
        ]
    return []


def mail_sender_problems(settings: Settings) -> list[str]:
    """Production sends as a real sender: MAIL_DEFAULT_SENDER set, on a real domain (it names
    every Message-ID and is the bounce address that SPF and DMARC check)."""
    if "MAIL_DEFAULT_SENDER" not in settings.model_fields_set:
        return [
            "MAIL_DEFAULT_SENDER is not set: give the address emails come from, on a domain "
            'you own, e.g. "Tickler <tickler@example.com>" (docs/DEPLOY.md, "Email").'
        ]
    address = parseaddr(settings.MAIL_DEFAULT_SENDER)[1]
    domain = address.rpartition("@")[2].lower()
    if not address.count("@") == 1 or not domain or "." not in domain or domain == "localhost":
        return [
            f"MAIL_DEFAULT_SENDER={settings.MAIL_DEFAULT_SENDER!r} is not an address on a real "
            'domain: use one you own, e.g. "Tickler <tickler@example.com>".'
        ]
    return []


def dkim_problems(settings: Settings) -> list[str]:
    """DKIM signing needs a readable PEM key and a selector; neither is needed without it."""
    path = settings.DKIM_PRIVATE_KEY_PATH
    if not path:
        return []
    found = []
    if not settings.DKIM_SELECTOR:
        found.append(
            "DKIM_SELECTOR is not set: give the selector the public key is published under "
            "(DKIM_SELECTOR._domainkey.<domain>), e.g. tickler1."
        )
    try:
        key = Path(path).read_bytes()
    except OSError as error:
        found.append(f"DKIM_PRIVATE_KEY_PATH={path!r} cannot be read: {error.strerror}.")
    else:
        if b"PRIVATE KEY-----" not in key:
            found.append(f"DKIM_PRIVATE_KEY_PATH={path!r} is not a PEM private key.")
    return found


def normalise_database_url(url: str | None) -> str | None:
    """Accept the URLs hosting platforms hand out and pick the installed psycopg 3 driver."""
    if url is None:
        return None
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
