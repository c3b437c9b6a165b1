"""The stack itself: embedded services, the database, the app processes and the banner."""

from __future__ import annotations

import http.client
import mailbox
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import redis

from scripts.devstack.settings import (
    DEFAULT_WEB_PORT,
    HOST,
    PREFERRED_SMTP_PORT,
    DevstackError,
    child_environment,
    database_url,
    env_value,
    free_port,
    mask_password,
    plan_services,
    port_is_free,
    redis_server_binary,
    sqlite_path,
)
from scripts.devstack.supervisor import Supervisor, wait_until


def redis_answers(port: int) -> bool:
    try:
        return bool(redis.Redis(host=HOST, port=port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_status(url: str) -> int | None:
    """The HTTP status `url` answers with, or None when nothing answers yet."""
    # No proxy: an HTTP_PROXY in the environment must not swallow requests to 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, http.client.HTTPException):
        return None


@dataclass
class Stack:
    """Where this run keeps its files and which ports its children listen on."""

    instance_dir: Path
    web_port: int = DEFAULT_WEB_PORT
    redis_port: int | None = None
    smtp_port: int | None = None

    @property
    def state_dir(self) -> Path:
        return self.instance_dir / "devstack"

    @property
    def mailbox_dir(self) -> Path:
        return self.instance_dir / "devmail"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.web_port}"


def start_redis(supervisor: Supervisor, stack: Stack, env: Mapping[str, str]) -> int:
    port = free_port()
    directory = stack.state_dir / "redis"
    directory.mkdir(parents=True, exist_ok=True)
    binary = redis_server_binary()
    # Nothing saved: the dev broker's queue is thrown away with the stack.
    args = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    supervisor.start("redis", [*args, "--dir", str(directory)], env)
    wait_until(supervisor, "Redis", lambda: redis_answers(port), timeout=15)
    return port


def start_smtp(supervisor: Supervisor, stack: Stack, env: Mapping[str, str]) -> int:
    port = PREFERRED_SMTP_PORT if port_is_free(PREFERRED_SMTP_PORT) else free_port()
    # The handler expects a whole Maildir (cur/, new/, tmp/), not just its folder.
    mailbox.Maildir(stack.mailbox_dir, create=True)
    handler = ["-c", "aiosmtpd.handlers.Mailbox", str(stack.mailbox_dir)]
    # -n: never try to switch to the user `nobody`, which fails unless run as root.
    args = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{port}", *handler]
    supervisor.start("smtp", args, env)
    wait_until(supervisor, "The SMTP server", lambda: port_answers(port), timeout=15)
    return port


def prepare_database(supervisor: Supervisor, env: Mapping[str, str]) -> None:
    """Migrate, then load the demo workspace (the command itself skips a database in use)."""
    path = sqlite_path(database_url(env))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # SQLite will not create the folder
    for name, command in (("db", ["db", "upgrade"]), ("seed", ["seed-demo"])):
        code = supervisor.run_once(name, [sys.executable, "-m", "flask", *command], env)
        if code != 0:
            raise DevstackError(
                f"`flask {' '.join(command)}` failed with exit code {code} (its output is above, "
                f"marked {name!r}). Database: {mask_password(database_url(env))}"
            )


def start_app(supervisor: Supervisor, stack: Stack, env: Mapping[str, str]) -> None:
    flask, celery = [sys.executable, "-m", "flask"], [sys.executable, "-m", "celery"]
    supervisor.start("web", [*flask, "run", "--host", HOST, "--port", str(stack.web_port)], env)
    worker = ["worker", "--loglevel=info", "--concurrency=2"]
    supervisor.start("worker", [*celery, "-A", "celery_worker", *worker], env)
    schedule = str(stack.state_dir / "celerybeat-schedule")
    beat = ["beat", "--loglevel=info", "--schedule", schedule]
    supervisor.start("beat", [*celery, "-A", "celery_worker", *beat], env)
    login_url = f"{stack.url}/login"
    wait_until(supervisor, "The web app", lambda: http_status(login_url) is not None, timeout=60)


def describe_broker(stack: Stack, env: Mapping[str, str]) -> str:
    if stack.redis_port is not None:
        return f"redis://{HOST}:{stack.redis_port}/0 (embedded Redis, nothing kept on disk)"
    return mask_password(env_value(env, "CELERY_BROKER_URL") or "")


def describe_mail(stack: Stack, env: Mapping[str, str]) -> str:
    if stack.smtp_port is not None:
        return f"local SMTP server on {HOST}:{stack.smtp_port}, kept in {stack.mailbox_dir}"
    return f"{env_value(env, 'MAIL_SERVER')}:{env_value(env, 'MAIL_PORT') or 25}"


def banner_lines(stack: Stack, env: Mapping[str, str]) -> list[str]:
    """What a person needs once everything answers: where to go, who to log in as, what runs."""
    from app.demo import DEMO_PASSWORD, DEMO_PEOPLE

    lines = ["=" * 72, f"Tickler is running at {stack.url}"]
    if stack.smtp_port is not None and env_value(env, "TICKLER_ENV") != "production":
        lines.append(f"Mail it sends:  {stack.url}/dev/mail/")
    if env_value(env, "TICKLER_ENV") == "development":
        lines.append(f"Webhooks sent:  {stack.url}/dev/webhooks/ (the demo project's receiver)")
    lines.append(f"Demo logins (password {DEMO_PASSWORD}):")
    lines += [f"    {p.email}{'  (admin)' if p.is_admin else ''}" for p in DEMO_PEOPLE]
    lines.append(f"Broker:    {describe_broker(stack, env)}")
    lines.append(f"Mail:      {describe_mail(stack, env)}")
    lines.append(f"Database:  {mask_password(database_url(env))}")
    base_url = env_value(env, "APP_BASE_URL") or stack.url
    if base_url.rstrip("/") != stack.url:
        lines.append(f"Links in emails use APP_BASE_URL={base_url}")
    return [*lines, "Press Ctrl-C to stop everything.", "=" * 72]


def run_stack(supervisor: Supervisor, stack: Stack, env: Mapping[str, str]) -> None:
    """Start everything, then watch until a signal or a child's death raises."""
    plan = plan_services(env)
    if "redis" in plan:
        stack.redis_port = start_redis(supervisor, stack, env)
    if "smtp" in plan:
        stack.smtp_port = start_smtp(supervisor, stack, env)
    child_env = child_environment(
        env,
        stack.web_port,
        redis_port=stack.redis_port,
        smtp_port=stack.smtp_port,
        mailbox_dir=stack.mailbox_dir,
    )
    write_runtime_settings(stack, child_env)
    prepare_database(supervisor, child_env)
    start_app(supervisor, stack, child_env)
    for line in banner_lines(stack, child_env):
        supervisor.console.say("devstack", line)
    while True:
        supervisor.checkpoint()
        time.sleep(0.2)


RUNTIME_SETTINGS = (
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "RATELIMIT_STORAGE_URI",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "DEV_MAILBOX_DIR",
    "APP_BASE_URL",
    "DATABASE_URL",
)


def runtime_settings_file(stack: Stack) -> Path:
    return stack.state_dir / "runtime.env"


def write_runtime_settings(stack: Stack, child_env: Mapping[str, str]) -> None:
    """Tell commands run in another terminal (celery_utils.py, flask, test_email.py) where this
    stack's Redis and mailbox are; config.py reads the file in development while we live."""
    lines = [f"DEVSTACK_PID={os.getpid()}"] + [
        f"{name}={child_env[name]}" for name in RUNTIME_SETTINGS if child_env.get(name)
    ]
    runtime_settings_file(stack).write_text("\n".join(lines) + "\n")
