"""The stack itself: the children's commands, the database, and one run of them all."""

from __future__ import annotations

import mailbox
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from honcho.printer import Printer

from scripts.devstack.banner import Announcer
from scripts.devstack.processes import new_manager, run_once, run_processes
from scripts.devstack.settings import (
    HOST,
    PREFERRED_SMTP_PORT,
    DevstackError,
    Stack,
    child_environment,
    database_url,
    free_port,
    mask_password,
    plan_services,
    port_is_free,
    redis_server_binary,
    sqlite_path,
)


def redis_command(stack: Stack) -> list[str]:
    directory = stack.state_dir / "redis"
    directory.mkdir(parents=True, exist_ok=True)
    # Nothing saved: the dev broker's queue is thrown away with the stack.
    args = ["--bind", HOST, "--port", str(stack.redis_port), "--save", "", "--appendonly", "no"]
    return [redis_server_binary(), *args, "--dir", str(directory)]


def smtp_command(stack: Stack, env: Mapping[str, str]) -> list[str]:
    # A whole Maildir (cur/, new/, tmp/) each, not just its folder.
    mailbox.Maildir(stack.mailbox_dir, create=True)
    inbound_dir = Path(env.get("INBOUND_MAILDIR") or stack.inbound_maildir_dir)
    mailbox.Maildir(inbound_dir, create=True)
    # Mail to INBOUND_ADDRESS's plus-addresses (replies, mail-in, bounces) goes to the inbound
    # Maildir the poll job reads; the rest to the dev mailbox at /dev/mail.
    router = "scripts.devstack.mail_router.DevMailRouter"
    inbound = [
        str(inbound_dir),
        env.get("INBOUND_ADDRESS") or "tickler@localhost",
        env.get("INBOUND_ADDRESS_SEPARATOR", "+"),
    ]
    handler = ["-c", router, str(stack.mailbox_dir), *inbound]
    # -n: never try to switch to the user `nobody`, which fails unless run as root.
    return [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{stack.smtp_port}", *handler]


def app_commands(stack: Stack) -> dict[str, list[str]]:
    """The web app, a Celery worker and beat: what the Procfile runs, in development form."""
    flask, celery = [sys.executable, "-m", "flask"], [sys.executable, "-m", "celery", "-A"]
    schedule = str(stack.state_dir / "celerybeat-schedule")
    return {
        "web": [*flask, "run", "--host", HOST, "--port", str(stack.web_port)],
        "worker": [*celery, "celery_worker", "worker", "--loglevel=info", "--concurrency=2"],
        "beat": [*celery, "celery_worker", "beat", "--loglevel=info", "--schedule", schedule],
    }


def stack_commands(stack: Stack, env: Mapping[str, str]) -> dict[str, list[str]]:
    """Every long-running child, by name: embedded services first, for what the env left unset."""
    commands = {}
    if stack.redis_port is not None:
        commands["redis"] = redis_command(stack)
    if stack.smtp_port is not None:
        commands["smtp"] = smtp_command(stack, env)
    return {**commands, **app_commands(stack)}


def choose_service_ports(stack: Stack, env: Mapping[str, str]) -> None:
    """Ports for the embedded Redis and SMTP server, only for what the env leaves unset."""
    plan = plan_services(env)
    if "redis" in plan:
        stack.redis_port = free_port()
    if "smtp" in plan:
        smtp_free = port_is_free(PREFERRED_SMTP_PORT)
        stack.smtp_port = PREFERRED_SMTP_PORT if smtp_free else free_port()


def prepare_database(printer: Printer, env: Mapping[str, str]) -> None:
    """Migrate, then load the demo workspace (the command itself skips a database in use)."""
    path = sqlite_path(database_url(env))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # SQLite will not create the folder
    for name, command in (("db", ["db", "upgrade"]), ("seed", ["seed-demo"])):
        code = run_once(printer, name, [sys.executable, "-m", "flask", *command], env)
        if code != 0:
            raise DevstackError(
                f"`flask {' '.join(command)}` failed with exit code {code} (its output is above, "
                f"marked {name!r}). Database: {mask_password(database_url(env))}"
            )


def run_stack(printer: Printer, stack: Stack, env: Mapping[str, str], pid_file: Path) -> int:
    """Prepare the database, then run every child under honcho until a stop or a death; the
    exit code: 0 when a stop was asked for, 1 when a child died or the stack never answered."""
    choose_service_ports(stack, env)
    child_env = child_environment(
        env,
        stack.web_port,
        redis_port=stack.redis_port,
        smtp_port=stack.smtp_port,
        mailbox_dir=stack.mailbox_dir,
        inbound_maildir=stack.inbound_maildir_dir,
    )
    write_runtime_settings(stack, child_env)
    prepare_database(printer, child_env)
    manager = new_manager(printer, stack_commands(stack, child_env), child_env)
    announcer = Announcer(stack, child_env, manager.events)
    announcer.start()
    try:
        outcome = run_processes(manager, printer, pid_file)
    finally:
        announcer.done.set()
    return 1 if outcome.exited is not None or announcer.timed_out else 0


RUNTIME_SETTINGS = (
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "RATELIMIT_STORAGE_URI",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "DEV_MAILBOX_DIR",
    "INBOUND_ADDRESS",
    "INBOUND_MAILDIR",
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
