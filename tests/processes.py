"""Starting real processes (worker, beat, flower) for tests, and always stopping them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Running:
    """A child process whose combined output is collected line by line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"never saw {text!r}; output so far:\n{self.output[-4000:]}")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM the child's own process group, then SIGKILL whatever is left."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        return self.process.returncode


def python_env(**extra: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "MAIL_"))
    }
    # A `make run` on this machine must not lend its Redis or mailbox to the processes under test.
    env.update(PYTHONUNBUFFERED="1", TICKLER_DEVSTACK_SETTINGS="off", **extra)
    if env.get("TICKLER_TEST_CLOCK_SHIFT_DAYS") or env.get("TICKLER_TEST_CLOCK_SHIFT_SECONDS"):
        # The child's clock moves with the test run's (tests/clock_shift/sitecustomize.py).
        shift = str(ROOT / "tests" / "clock_shift")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [shift, env.get("PYTHONPATH")]))
    return env


def tickler_env(
    database_url: str, broker: str, results: str | None = None, **extra: str
) -> dict[str, str]:
    """`python_env` for a Tickler process (worker, beat, a command) in development mode on the
    test's database and broker; the results go to the broker unless `results` says where."""
    return python_env(
        TICKLER_ENV="development",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker,
        CELERY_RESULT_BACKEND=results or broker,
        **extra,
    )


@contextmanager
def shared_clock_at(moment: datetime) -> Iterator[dict[str, str]]:
    """This process's clock at `moment` (ticking on) for the block, and the settings for
    `python_env` that put a child started in the block on the same clock: a test that waits
    for beat's next minute starts just before one instead of waiting up to a minute."""
    hatch = time_machine.escape_hatch
    real_now = hatch.time.time() if hatch.is_travelling() else time.time()
    shift = moment.timestamp() - real_now
    with time_machine.travel(moment, tick=True):
        yield {
            "TICKLER_TEST_CLOCK_SHIFT_DAYS": "0",
            "TICKLER_TEST_CLOCK_SHIFT_SECONDS": f"{shift:.6f}",
        }


@contextmanager
def running(args: Sequence[str], env: dict[str, str]) -> Iterator[Running]:
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    child = Running(process)
    try:
        yield child
    finally:
        child.stop()
