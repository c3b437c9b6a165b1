"""The children of `make run`: started with prefixed output, watched, stopped by process group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scripts.devstack.settings import ROOT, SERVICES, DevstackError

STOP_TIMEOUT = 10.0
LABEL_WIDTH = 8
COLOURS = {"web": "32", "worker": "36", "beat": "35", "redis": "31", "smtp": "33"}


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
