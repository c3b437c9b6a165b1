"""scripts/devstack (`make run`): pure helpers, and one real run that Ctrl-C stops completely."""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo import DEMO_PASSWORD, DEMO_PEOPLE
from scripts.devstack import settings
from scripts.devstack.banner import banner_lines
from scripts.devstack.processes import ChildExited, another_stack_running, shell_command
from tests.processes import Running, free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something is listening on for the whole test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://:s3cret@redis-host:6379/0", "redis://:***@redis-host:6379/0"),
        ("postgresql://tickler:pw@db-host/tickler", "postgresql://tickler:***@db-host/tickler"),
        ("postgresql://tickler:p@ss@db-host/tickler", "postgresql://tickler:***@db-host/tickler"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://user@redis-host/0", "redis://user@redis-host/0"),
        (
            "sqlite:////srv/tickler/instance/tickler.db",
            "sqlite:////srv/tickler/instance/tickler.db",
        ),
        ("memory://", "memory://"),
        ("not a url", "not a url"),
    ],
)
def test_mask_password_hides_only_the_password(url: str, expected: str) -> None:
    assert settings.mask_password(url) == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["redis", "smtp", "web", "worker", "beat"]),
        (
            {"CELERY_BROKER_URL": "", "MAIL_SERVER": "  "},
            ["redis", "smtp", "web", "worker", "beat"],
        ),
        ({"CELERY_BROKER_URL": "redis://broker:6379/0"}, ["smtp", "web", "worker", "beat"]),
        ({"MAIL_SERVER": "smtp.example.com"}, ["redis", "web", "worker", "beat"]),
        (
            {"CELERY_BROKER_URL": "redis://broker:6379/0", "MAIL_SERVER": "smtp.example.com"},
            ["web", "worker", "beat"],
        ),
    ],
)
def test_plan_services_starts_embedded_services_only_for_what_is_unset(
    env: dict[str, str], expected: list[str]
) -> None:
    assert settings.plan_services(env) == expected


def test_child_environment_points_children_at_the_embedded_services(tmp_path: Path) -> None:
    base = {"MAIL_USERNAME": "me@example.com", "CELERY_RESULT_BACKEND": "redis://gone:6379/0"}
    env = settings.child_environment(
        base, 5001, redis_port=7000, smtp_port=8025, mailbox_dir=tmp_path
    )
    assert env["CELERY_BROKER_URL"] == "redis://127.0.0.1:7000/0"
    assert env["CELERY_RESULT_BACKEND"] == "redis://127.0.0.1:7000/0"
    assert env["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:7000/1"
    assert (env["MAIL_SERVER"], env["MAIL_PORT"], env["MAIL_USE_TLS"]) == (
        "127.0.0.1",
        "8025",
        "false",
    )
    # Blank rather than absent, so config.py's load_dotenv cannot bring the login back.
    assert env["MAIL_USERNAME"] == ""
    assert env["DEV_MAILBOX_DIR"] == str(tmp_path)
    assert env["APP_BASE_URL"] == "http://127.0.0.1:5001"
    assert (env["TICKLER_ENV"], env["FLASK_APP"]) == ("development", "app:create_app")
    assert env["WEBHOOK_ALLOWED_HOSTS"] == "127.0.0.1,localhost", "for /dev/webhooks"


def test_child_environment_keeps_what_the_person_set() -> None:
    base = {
        "TICKLER_ENV": "production",
        "APP_BASE_URL": "https://tickler.example.com",
        "CELERY_BROKER_URL": "redis://broker:6379/0",
        "MAIL_SERVER": "smtp.example.com",
    }
    env = settings.child_environment(base, 5000)
    assert {key: env[key] for key in base} == base
    assert "DEV_MAILBOX_DIR" not in env
    assert "WEBHOOK_ALLOWED_HOSTS" not in env, "private addresses stay refused in production"


def test_a_busy_port_chosen_with_PORT_is_an_error(listening_port: int) -> None:
    with pytest.raises(settings.DevstackError, match=f"PORT={listening_port} is already in use"):
        settings.choose_web_port({"PORT": str(listening_port)})


def test_a_busy_default_port_moves_to_a_free_one_and_says_so(listening_port: int) -> None:
    port, note = settings.choose_web_port({}, default=listening_port)
    assert port != listening_port
    assert f"Port {listening_port} is in use" in note and str(port) in note


def test_a_PORT_that_is_not_a_number_is_an_error() -> None:
    with pytest.raises(settings.DevstackError, match="not a port number"):
        settings.choose_web_port({"PORT": "five thousand"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/dev.db", Path("/tmp/dev.db")),
        ("sqlite:///instance/tickler.db", settings.ROOT / "instance" / "tickler.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://tickler@db/tickler", None),
    ],
)
def test_sqlite_path_finds_the_database_file(url: str, expected: Path | None) -> None:
    assert settings.sqlite_path(url) == expected


def test_banner_shows_logins_and_services_without_passwords(tmp_path: Path) -> None:
    stack = settings.Stack(tmp_path, web_port=5001, redis_port=7000, smtp_port=8025)
    env = {
        "DATABASE_URL": "postgresql://tickler:hunter2@db-host/tickler",
        "TICKLER_ENV": "development",
    }
    banner = "\n".join(banner_lines(stack, env))
    assert "http://127.0.0.1:5001/dev/mail/" in banner
    assert "http://127.0.0.1:5001/dev/webhooks/" in banner
    assert all(person.email in banner for person in DEMO_PEOPLE)
    assert f"password {DEMO_PASSWORD}" in banner
    assert "postgresql://tickler:***@db-host/tickler" in banner
    assert "hunter2" not in banner
    assert "Press Ctrl-C to stop everything." in banner


def test_a_child_killed_by_a_signal_is_reported_by_name() -> None:
    assert str(ChildExited("worker", -9)) == "worker was killed by SIGKILL unexpectedly"
    assert str(ChildExited("web", 3)) == "web exited with code 3 unexpectedly"


def test_each_child_is_the_program_itself_not_a_shell_around_it() -> None:
    # honcho runs commands with `sh -c` and signals the PID it started, as a process group.
    assert shell_command(["flask", "run", "--host", "127.0.0.1"]) == (
        "exec flask run --host 127.0.0.1"
    )
    assert shell_command(["redis-server", "--save", ""]) == "exec redis-server --save ''"


def test_a_pid_file_of_a_stack_that_is_gone_does_not_block_a_new_one(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    pid_file = tmp_path / "devstack.pids"
    pid_file.write_text(f"devstack {gone.pid}\nweb 1\n")
    assert another_stack_running(pid_file) is None
    # A live PID that is not this process: another devstack is using the folder.
    pid_file.write_text(f"devstack {os.getppid()}\n")
    assert another_stack_running(pid_file) == os.getppid()


# --- The whole script, for real --------------------------------------------------------------


def http_status(url: str) -> int | None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    try:
        with opener.open(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def read_pids(pid_file: Path) -> dict[str, int]:
    pairs = (line.split() for line in pid_file.read_text().splitlines() if line.strip())
    return {name: int(pid) for name, pid in pairs}


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: they are dead, only
    waiting for init to reap them, which some containers' init does slowly."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return any(state != "Z" for state in group_states(pgid))


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


# honcho's printer: "HH:MM:SS name     | text".
LINE = re.compile(r"^\d\d:\d\d:\d\d (\S+)\s*\| (.*)$")


def line_of(name: str, line: str) -> str | None:
    """The text of an output line written by `name`, else None."""
    match = LINE.match(line.rstrip("\n"))
    return match.group(2) if match and match.group(1) == name else None


def wait_for_line(run: Running, name: str, ending: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any((line_of(name, line) or "").rstrip().endswith(ending) for line in run.lines):
            return
        assert run.process.poll() is None, f"devstack ended early:\n{run.output[-4000:]}"
        time.sleep(0.2)
    raise AssertionError(f"no {name!r} line ending {ending!r}:\n{run.output[-4000:]}")


def stop_leftovers(pids: dict[str, int]) -> None:
    """Only when the test failed half-way: stop by PID whatever the script left running."""
    for name, pid in pids.items():
        if name != "devstack" and group_alive(pid):
            os.killpg(pid, signal.SIGKILL)


def listening_addresses(port: int) -> set[str]:
    """The local addresses listening on `port`, from /proc/net/tcp and tcp6 (no traffic)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # The kernel writes each 32-bit word in host (little-endian) order.
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(str(ipaddress.ip_address(words)))
    return found


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[tuple[Running, int, Path]]:
    """A real `python -m scripts.devstack` on private ports and folders; stopped in the end."""
    port = free_port()
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.db'}",
        "PORT": str(port),
        "DEVSTACK_DIR": str(instance),
        "TICKLER_ENV": "development",
        # Blank, not removed, so values in the project's .env cannot fill them in.
        "CELERY_BROKER_URL": "",
        "CELERY_RESULT_BACKEND": "",
        "MAIL_SERVER": "",
        "APP_BASE_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.devstack"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    run = Running(process)
    pid_file = instance / "devstack" / "devstack.pids"
    pids: dict[str, int] = {}
    try:
        # Migrations and the demo data come first: minutes on a loaded machine.
        run.wait_for("Press Ctrl-C to stop everything.", timeout=240)
        pids = read_pids(pid_file)
        yield run, port, pid_file
    finally:
        run.stop()
        stop_leftovers(pids)


def assert_every_child_gone(pids: dict[str, int]) -> None:
    children = {name: pid for name, pid in pids.items() if name != "devstack"}
    assert [name for name, pid in children.items() if process_alive(pid)] == []
    # Each child led its own process group: Celery's pool and such must be gone too.
    assert [name for name, pid in children.items() if group_alive(pid)] == []


def test_devstack_serves_the_app_and_ctrl_c_stops_every_child(
    devstack: tuple[Running, int, Path],
) -> None:
    run, port, pid_file = devstack
    process = run.process
    assert http_status(f"http://127.0.0.1:{port}/login") in (200, 302)
    # /dev/mail holds password-reset links: the web server listens on loopback only.
    assert listening_addresses(port) == {"127.0.0.1"}
    wait_for_line(run, "worker", " ready.", timeout=30)
    pids = read_pids(pid_file)
    assert set(pids) == {"devstack", "redis", "smtp", "web", "worker", "beat"}
    assert pids["devstack"] == process.pid

    os.kill(process.pid, signal.SIGINT)
    assert process.wait(timeout=20) == 0, run.output[-4000:]

    assert_every_child_gone(pids)
    assert not pid_file.exists()
    assert not (pid_file.parent / "runtime.env").exists()
    assert "Everything stopped." in run.output


def test_a_child_that_dies_stops_the_others_and_says_which(
    devstack: tuple[Running, int, Path],
) -> None:
    run, _port, pid_file = devstack
    pids = read_pids(pid_file)
    os.kill(pids["beat"], signal.SIGKILL)
    assert run.process.wait(timeout=20) == 1, run.output[-4000:]

    said = [line_of("devstack", line) for line in run.lines]
    assert "beat was killed by SIGKILL unexpectedly; stopping everything." in said
    assert "Everything stopped." in said
    assert_every_child_gone(pids)
    assert not pid_file.exists()
