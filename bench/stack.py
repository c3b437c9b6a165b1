"""The bench's own processes: redis-server, a PostgreSQL database, the SMTP sink, Celery
workers and gunicorn, each started here and stopped here by its own process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from scripts.private_redis import private_redis

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child in its own session, its output in a log file."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = open(log, "w")  # noqa: SIM115  (closed in stop)
        self.popen = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output():
                return
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"{self.log.name}: never saw {needle!r}:\n{self.output()[-3000:]}")

    def group_pids(self) -> list[int]:
        """Every live process in this child's process group (a worker and its pool)."""
        # /proc/PID/stat: the command may hold spaces and parentheses; fields after its last
        # ")" are state, ppid, pgrp.
        group = self.popen.pid
        return _pids_where("stat", lambda text: int(text.rsplit(")", 1)[1].split()[2]) == group)

    def stop(self, timeout: float = 20.0) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        self._out.close()


def cpu_ticks(pids: Sequence[int]) -> int:
    """User + system CPU of these processes so far, in clock ticks."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def pids_named(name: str) -> list[int]:
    """Every live process whose command is `name` (PostgreSQL's backends are `postgres`)."""
    return _pids_where("comm", lambda text: text.strip() == name)


def pids_running(fragment: str) -> list[int]:
    """Every live process whose command line contains `fragment` (the sink: bench.sink)."""
    return _pids_where("cmdline", lambda text: fragment in text.replace("\0", " "))


def _pids_where(field: str, matches: Callable[[str], bool]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if matches((entry / field).read_text(errors="replace")):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def peak_rss_kb(pids: Sequence[int]) -> dict[int, int]:
    """VmHWM (the peak resident set) of each process, in KiB."""
    peaks = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1])
        except OSError:
            continue
    return peaks


@contextmanager
def process(args: Sequence[str], env: dict[str, str], log: Path) -> Iterator[Process]:
    child = Process(args, env, log)
    try:
        yield child
    finally:
        child.stop()


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port, no persistence (as the tests start)."""
    with private_redis(workdir) as redis:
        yield redis.url


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def smtp_sink(workdir: Path) -> Iterator[tuple[int, Path]]:
    port, log = free_port(), workdir / "sink.tsv"
    args = [sys.executable, "-m", "bench.sink", str(port), str(log)]
    with process(args, python_env(), workdir / "sink.out") as sink:
        sink.wait_for("sink listening", 20)
        yield port, log


def python_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "MAIL_"))}
    env.update({"PYTHONUNBUFFERED": "1", "TICKLER_DEVSTACK_SETTINGS": "off", **extra})
    return env


@contextmanager
def celery_workers(
    env: dict[str, str], workdir: Path, count: int, concurrency: int, ping: Callable[[], int]
) -> Iterator[list[Process]]:
    """`count` prefork workers of `concurrency` each, on every queue; `ping` says how many
    workers answer."""
    from app.extensions import QUEUES

    started: list[Process] = []
    try:
        for n in range(count):
            args = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bench.worker_app",
                "worker",
                "--loglevel=WARNING",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "-Q",
                ",".join(QUEUES),
                "-n",
                f"bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
            started.append(Process(args, env, workdir / f"worker{n}.log"))
        wait_ready(started, ping)
        yield started
    finally:
        for worker in started:
            worker.stop()


def wait_ready(workers: list[Process], ping: Callable[[], int], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            if worker.popen.poll() is not None:
                raise RuntimeError(f"worker died:\n{worker.output()[-3000:]}")
        if ping() >= len(workers):
            return
        time.sleep(0.5)
    raise RuntimeError(f"workers never answered a ping:\n{workers[0].output()[-3000:]}")


@contextmanager
def gunicorn(env: dict[str, str], workdir: Path) -> Iterator[tuple[str, Process]]:
    """deploy/gunicorn.conf.py, except that workers are never recycled: a recycled worker
    re-imports the app (0.7 s of CPU), and at the ceiling's 3,000 requests a second
    max_requests=1000 would do that every 1.5 s per worker, so the ceiling would measure
    restarts and every page would look nearer to it than it is."""
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    with process(args, env, workdir / "gunicorn.log") as server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.popen.poll() is not None:
                    raise RuntimeError(server.output()[-3000:]) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server
