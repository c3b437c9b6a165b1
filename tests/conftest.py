"""Fixtures: the app on a real database, a real Celery worker on Redis, a client that logs in."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from app import create_app
from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db, limiter
from app.projects.models import MemberRole, Project, ProjectMember
from app.tasklist.models import Task, TaskPriority, TaskStatus
from config import normalise_database_url
from scripts.private_redis import redis_server_installed
from tests.services_available import (
    CHROMIUM,
    POSTGRES_ADMIN_URL,
    REDIS_HOST,
    chromium_available,
    postgres_available,
    redis_available,
    require,
    running_in_ci,
    session_redis_port,
)

# A `make run` on this machine must not lend its Redis or mailbox to the tests.
os.environ["TICKLER_DEVSTACK_SETTINGS"] = "off"

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
DEFAULT_PASSWORD = "correct horse battery"
# Run the whole suite N days from today (negative: back), to show no test depends on the date:
# TICKLER_TEST_CLOCK_SHIFT_DAYS=365 make test (make test-clock runs +365 and -365). The Python
# processes the tests start move with it (tests/clock_shift/sitecustomize.py).
CLOCK_SHIFT_DAYS = int(os.environ.get("TICKLER_TEST_CLOCK_SHIFT_DAYS") or 0)
CLOCK_SHIFT = pytest.StashKey[Any]()  # the running time_machine traveller


def pytest_configure(config: pytest.Config) -> None:
    if CLOCK_SHIFT_DAYS:
        import time_machine

        shifted = datetime.now().astimezone() + timedelta(days=CLOCK_SHIFT_DAYS)
        config.stash[CLOCK_SHIFT] = time_machine.travel(shifted, tick=True)
        config.stash[CLOCK_SHIFT].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if CLOCK_SHIFT in config.stash:
        config.stash[CLOCK_SHIFT].stop()


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = []
    if redis_server_installed():
        # Not its port: under xdist this process runs no test, and each worker has its own.
        lines.append("redis: every pytest process starts a redis-server of its own")
    else:
        lines.append("redis: redis-server is not installed, tests that need Redis skip")
    if CLOCK_SHIFT_DAYS:
        lines.append(
            f"clock: {CLOCK_SHIFT_DAYS:+d} days from today (TICKLER_TEST_CLOCK_SHIFT_DAYS)"
        )
    return lines


def pytest_sessionstart(session: pytest.Session) -> None:
    if not redis_server_installed() and running_in_ci():
        pytest.exit("redis-server is not installed and CI=true: apt install redis-server", 1)


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A throwaway database: a commit need not wait for the disk (every connection to it,
        # the workers and commands the tests start included). Only a crash of the server could
        # lose a commit, and no test crashes it.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """TEST_DATABASE_URL if given, else a private PostgreSQL database, else SQLite."""
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        yield normalise_database_url(explicit)
    elif postgres_available():
        with postgres_database(f"tickler_test_{os.getpid()}") as url:
            yield url
    else:
        if running_in_ci():
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true")
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'tickler.db'}"


@pytest.fixture(scope="session")
def celery_settings() -> dict[str, Any]:
    """The run's own Redis (tests/services_available.py); every key under a prefix of the run."""
    prefix = f"tickler-test-{uuid.uuid4().hex[:10]}:"
    url = f"redis://{REDIS_HOST}:{session_redis_port()}/0"
    return {
        "broker_url": url,
        "result_backend": url,
        "broker_transport_options": {"global_keyprefix": prefix},
        "result_backend_transport_options": {"global_keyprefix": prefix},
        "broker_connection_timeout": 2,
        "broker_connection_max_retries": 2,
    }


def app_settings(database_url: str, celery_settings: dict[str, Any], **overrides: Any) -> dict:
    return {
        "TICKLER_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CELERY": celery_settings,
        **overrides,
    }


@pytest.fixture(scope="session")
def base_app(
    database_url: str, celery_settings: dict[str, Any], smtp_server: SmtpServer
) -> Iterator[Flask]:
    """One app for the session, its schema built by the real migrations, mail to a real server."""
    app = create_app(
        app_settings(
            database_url,
            celery_settings,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp_server.port,
            MAIL_TIMEOUT=5,
            MAIL_RETRY_BASE_SECONDS=1,
            MAIL_RETRY_MAX_SECONDS=2,
            NOTIFICATION_BATCH_SECONDS=2,
        )
    )
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
    yield app
    with app.app_context():
        db.engine.dispose()


CLEAR_LOCK_TIMEOUT = "60s"


def other_sessions_holding_locks() -> list[str]:
    """The database's other sessions that hold a lock, named by what they last ran."""
    rows = db.session.execute(
        text(
            "SELECT a.pid, a.state, left(a.query, 200) FROM pg_stat_activity a"
            " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
            " AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted)"
        )
    )
    return [f"pid {pid} ({state}): {query}" for pid, state, query in rows]


def clear_retrying_deadlocks(
    statements: Sequence[Any], attempts: int = 5, lock_timeout: str = CLEAR_LOCK_TIMEOUT
) -> None:
    """Run `statements` in one transaction. The worker thread may still be recording a
    finished task's run (task tracking writes on its own connection); the locks can then
    deadlock with it: try again. A session that never lets go (a failed test's connection left
    in a transaction) would make clearing wait for ever and the run hang without a word:
    after a minute, fail and name it."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            db.session.execute(text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
            for statement in statements:
                db.session.execute(statement)
            return
        except OperationalError as error:
            db.session.rollback()
            if "lock timeout" in str(error):
                holders = "\n".join(other_sessions_holding_locks()) or "(none left)"
                raise AssertionError(
                    f"clearing the tables waited {lock_timeout} for locks held by:\n{holders}"
                ) from error
            if "deadlock" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def clear_tables(app: Flask) -> None:
    """Empty every table, dependents first. DELETE, not TRUNCATE: on tables this small it is
    about 20 times faster (TRUNCATE makes new files for every table and index: 115 ms against
    6 ms, once per test), and ids keep counting up, so a job queued by an earlier test never
    finds a new row."""
    with app.app_context():
        statements = [table.delete() for table in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            clear_retrying_deadlocks(statements)
        else:
            for statement in statements:
                db.session.execute(statement)
        db.session.commit()


@pytest.fixture
def app(base_app: Flask) -> Iterator[Flask]:
    """The session's app, with empty tables, fresh rate limits and its own settings for each
    test: a setting a test changes is put back after it (a DKIM key or a sender left behind
    once changed what a later test's emails looked like)."""
    base_app.config.update(WTF_CSRF_ENABLED=False)
    settings = dict(base_app.config)
    with base_app.app_context():
        limiter.reset()
    yield base_app
    finish_queued_jobs(base_app)
    clear_tables(base_app)
    base_app.config.clear()
    base_app.config.update(settings)


@pytest.fixture(scope="session")
def rabbitmq_url() -> Iterator[str]:
    """RabbitMQ on a virtual host of this run's own (tests/rabbitmq.py), deleted afterwards."""
    from tests.rabbitmq import private_vhost

    with private_vhost() as url:
        yield url


def worker_busy() -> bool:
    """The session's worker (a thread of this process) runs or holds a job to run now."""
    from celery.worker import state

    return bool(state.active_requests or state.reserved_requests)


def finish_queued_jobs(app: Flask, timeout: float = 60.0) -> None:
    """Drop jobs a test queued but no worker ran, and let the session's worker finish the one
    it took, so none acts in a later test (a sign-up's email, sent by the worker while the
    next test's SMTP server was already listening, was counted there). Cheap: the worker's
    own state is read in this process, not asked over the broker."""
    if not redis_available():
        return
    app.extensions["celery"].control.purge()
    deadline = time.monotonic() + timeout
    while worker_busy() and time.monotonic() < deadline:
        time.sleep(0.05)
    app.extensions["celery"].control.purge()  # what the finished job queued in turn


def wait_for_earlier_jobs(app: Flask, timeout: float = 180.0) -> None:
    """Wait until the session's worker (a thread of this process) runs no job and none waits in
    its queues, dropping whatever is queued and revoking what it holds for a countdown: a job an
    earlier test left behind (or one such a job queued in turn) then cannot write during this
    test. Speed does not matter: it ends when a purge finds nothing and the worker is idle before
    and after it. A held job is revoked rather than waited for, since a countdown (a batching
    window, a webhook's backoff) can outlast any timeout."""
    if not redis_available():
        return
    celery = app.extensions["celery"]

    def revoke_held_jobs() -> None:
        # The session's worker is the one worker on this run's prefix: its reply ends the wait.
        replies = celery.control.inspect(timeout=5, limit=1).scheduled() or {}
        held = [job["request"]["id"] for jobs in replies.values() for job in jobs]
        if held:
            # With a reply, the worker has flagged them before the wait goes on.
            celery.control.revoke(held, reply=True, timeout=5, limit=1)

    deadline = time.monotonic() + timeout
    while True:
        if not worker_busy():
            revoke_held_jobs()
            purged = celery.control.purge()
            # Still idle after the purge: it took no job between the look and the purge.
            if not purged and not worker_busy():
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker still ran earlier tests' jobs after {timeout} s")
        time.sleep(0.1)


@pytest.fixture
def make_app(
    database_url: str, celery_settings: dict[str, Any], base_app: Flask
) -> Iterator[Callable[..., Flask]]:
    """Build an app with extra settings (CSRF on, a low rate limit) on the same database."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app(app_settings(database_url, celery_settings, **overrides))
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()
    clear_tables(base_app)


def current_celery_apps() -> tuple[Any, Any]:
    from celery import _state

    return _state.default_app, getattr(_state._tls, "current_app", None)


def restore_celery_apps(apps: tuple[Any, Any]) -> None:
    from celery import _state

    default, current = apps
    _state.set_default_app(default)
    _state._set_current_app(current)


@pytest.fixture(autouse=True)
def keep_current_celery_app() -> Iterator[None]:
    """create_app makes its Celery app the current one; a test that builds an extra app must not
    leave the session's tasks publishing through it."""
    apps = current_celery_apps()
    yield
    restore_celery_apps(apps)


@pytest.fixture(autouse=True)
def keep_limiter_storage() -> Iterator[None]:
    """Flask-Limiter keeps one storage per Limiter object, and init_app replaces it: a test that
    builds an extra app (a production one pointing at an unreachable Redis, say) must not leave
    every later test's rate limits counting there. Private attributes of the pinned version."""
    saved = (limiter._storage, limiter._limiter)
    yield
    limiter._storage, limiter._limiter = saved


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_PASSWORD_HASHES: dict[str, str] = {}


def password_hash(password: str) -> str:
    """A real scrypt hash, made once per password: hashing is slow on purpose."""
    if password not in _PASSWORD_HASHES:
        from werkzeug.security import generate_password_hash

        _PASSWORD_HASHES[password] = generate_password_hash(password)
    return _PASSWORD_HASHES[password]


class Factory:
    """Creates rows through the models, each in its own app context, and returns their ids."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def user(
        self,
        email: str | None = None,
        name: str | None = None,
        password: str = DEFAULT_PASSWORD,
        timezone: str = "UTC",
        is_admin: bool = False,
        is_active: bool = True,
    ) -> int:
        n = self._next()
        with self.app.app_context():
            user = User(
                email=email or f"person{n}@example.com",
                name=name or f"Person {n}",
                timezone=timezone,
                is_admin=is_admin,
                is_active=is_active,
                password_hash=password_hash(password),
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    def project(self, owner_id: int, name: str = "Launch", members: tuple[int, ...] = ()) -> int:
        with self.app.app_context():
            project = Project(name=name, description="", owner_id=owner_id)
            project.memberships.append(ProjectMember(user_id=owner_id, role=MemberRole.OWNER))
            for member_id in members:
                project.memberships.append(ProjectMember(user_id=member_id, role=MemberRole.MEMBER))
            db.session.add(project)
            db.session.commit()
            return project.id

    def task(
        self,
        project_id: int,
        creator_id: int,
        title: str | None = None,
        assignee_id: int | None = None,
        status: TaskStatus = TaskStatus.PENDING,
        priority: TaskPriority = TaskPriority.MEDIUM,
        due_at: datetime | None = None,
        archived_at: datetime | None = None,
        completed_at: datetime | None = None,
    ) -> int:
        if status == TaskStatus.COMPLETED and completed_at is None:
            completed_at = utcnow()
        with self.app.app_context():
            task = Task(
                project_id=project_id,
                creator_id=creator_id,
                title=title or f"Task {self._next()}",
                assignee_id=assignee_id,
                status=status,
                priority=priority,
                due_at=due_at,
                archived_at=archived_at,
                completed_at=completed_at,
            )
            db.session.add(task)
            db.session.commit()
            return task.id

    def get(self, model: type, row_id: int) -> Any:
        """A fresh, detached copy of a row, to assert on what the database really holds."""
        with self.app.app_context():
            row = db.session.get(model, row_id)
            if row is not None:
                db.session.expunge(row)
            return row


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> Any:
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """`with count_queries() as statements:` records every SQL statement the app runs in this
    thread (a test client's requests and direct calls). The session's worker is a thread of
    this process too: a job it happens to run meanwhile is not the page's cost, and counting it
    would make the count depend on timing. `all_threads=True` counts every thread's, for a test
    that measures a job the worker runs (and waits for it) or work spread over threads."""

    @contextmanager
    def counting(all_threads: bool = False) -> Iterator[list[str]]:
        statements: list[str] = []
        counting_thread = threading.get_ident()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if all_threads or threading.get_ident() == counting_thread:
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture(scope="session")
def celery_worker(base_app: Flask) -> Iterator[Any]:
    """A real Celery worker, in a thread of this process, consuming from real Redis."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{session_redis_port()}")
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for the ping check)
    from celery.contrib.testing.worker import start_worker

    celery_app = base_app.extensions["celery"]
    with start_worker(
        celery_app, pool="solo", perform_ping_check=True, shutdown_timeout=10
    ) as worker:
        yield worker


class RecordingHandler:
    """An aiosmtpd handler that keeps every message it accepts, and can be told to refuse."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.reset()

    def reset(self) -> None:
        self.messages.clear()
        # address -> "550 No such user": refused at RCPT.
        self.refuse_recipients: dict[str, str] = {}
        # Answer the next N DATA commands with this reply instead of accepting.
        self.fail_data: list[str] = []
        self.data_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        refusal = self.refuse_recipients.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes
        from email.policy import default

        self.data_attempts += 1
        if self.fail_data:
            return self.fail_data.pop(0)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        # MAIL FROM as received: where a bounce would go ("" for the null sender).
        message.envelope_from = envelope.mail_from
        # The bytes as received, for checks a parsed message cannot answer (a DKIM signature).
        message.raw = envelope.original_content or envelope.content
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; `messages` is what it accepted."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        from tests.processes import free_port

        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Any]:
        return self.handler.messages

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if address in m.envelope_recipients]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Any]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A real webhook receiver on 127.0.0.1 (tests/webhook_receiver.py), stopped afterwards."""
    from tests.webhook_receiver import Receiver

    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    """The session's SMTP server, emptied and accepting everything, for one test."""
    smtp_server.handler.reset()
    yield smtp_server
    smtp_server.handler.reset()


# Headless Debian Chromium through Playwright: one browser for the whole run, shared by the
# page tests (tests/browser) and the email checks (tests/email_quality), since a second
# sync_playwright cannot start inside the first one's event loop in the same process.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(
        chromium_available(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
