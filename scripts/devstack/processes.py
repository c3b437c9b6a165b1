"""The children of `make run`, run by honcho's Manager: prefixed output, one stop for all."""

from __future__ import annotations

import datetime
import os
import shlex
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from honcho.manager import Manager
from honcho.printer import Message, Printer

from scripts.devstack.settings import ROOT

DEVSTACK = "devstack"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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


def raise_stop_requested(signum: int, frame: object) -> None:
    raise StopRequested()


def install_stop_handlers() -> None:
    """Outside honcho's loop (choosing ports, between setup commands), any stop signal raises
    StopRequested, so the stack still cleans up after itself."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, raise_stop_requested)


def console_printer() -> Printer:
    """honcho's printer on stdout: `HH:MM:SS name | line`, coloured on a terminal."""
    return Printer(sys.stdout, colour="NO_COLOR" not in os.environ, width=len(DEVSTACK))


def say(printer: Printer, text: str, name: str = DEVSTACK) -> None:
    """One of devstack's own lines, in the same shape as the children's."""
    now = datetime.datetime.now()
    printer.write(Message(type="line", data=text, time=now, name=name, colour=None))


def shell_command(args: Sequence[str]) -> str:
    """honcho runs each command with `sh -c`: `exec` makes the program itself the child, so
    the PID honcho reports (and signals as a process group) is the program's."""
    return "exec " + shlex.join(args)


@dataclass
class RunOutcome:
    """What ended a run: a stop signal, or the first child that exited on its own."""

    pids: dict[str, int] = field(default_factory=dict)
    stop_requested: bool = False
    first_exit: tuple[str, int] | None = None

    @property
    def exited(self) -> ChildExited | None:
        return None if self.first_exit is None else ChildExited(*self.first_exit)


class WatchedEvents:
    """The Manager's event queue, read through: records each child's PID as it starts (for the
    PID file) and whether the first child to stop did so on its own, before the Manager sees
    the event."""

    def __init__(
        self,
        manager: Manager,
        printer: Printer,
        pid_file: Path | None,
        expect_exit: bool,
    ) -> None:
        self.manager, self.printer, self.pid_file = manager, printer, pid_file
        self.expect_exit = expect_exit
        self.outcome = RunOutcome()
        self.queue = manager.events

    def put(self, message: Message) -> None:
        self.queue.put(message)

    def get(self, timeout: float | None = None) -> Message:
        message = self.queue.get(timeout=timeout)
        if message.type == "start":
            self.outcome.pids[message.name] = message.data["pid"]
            self.write_pid_file()
        elif message.type == "stop" and not self.stopping:
            self.first_stop(message.name, message.data["returncode"])
        return message

    @property
    def stopping(self) -> bool:
        return self.outcome.stop_requested or self.outcome.first_exit is not None

    def first_stop(self, name: str, code: int) -> None:
        # The Manager sets its returncode on SIGINT or SIGTERM, or else from this very event
        # once we hand it over: already set means a stop was asked for, not that `name` died.
        if self.manager.returncode is not None:
            self.outcome.stop_requested = True
            return
        self.outcome.first_exit = (name, code)
        if not self.expect_exit:
            say(self.printer, f"{self.outcome.exited}; stopping everything.")

    def write_pid_file(self) -> None:
        if self.pid_file is not None:
            lines = [f"{DEVSTACK} {os.getpid()}"]
            lines += [f"{name} {pid}" for name, pid in self.outcome.pids.items()]
            self.pid_file.write_text("\n".join(lines) + "\n")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.queue, name)

    def __getstate__(self) -> dict[str, Any]:
        # Children get the queue only: the Manager stays in this process.
        return {"queue": self.queue}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.queue = state["queue"]


def new_manager(
    printer: Printer, commands: Mapping[str, Sequence[str]], env: Mapping[str, str]
) -> Manager:
    """A honcho Manager for `commands` (name -> argv), each run from the project folder."""
    manager = Manager(printer=printer)
    for name, args in commands.items():
        manager.add_process(name, shell_command(args), env=dict(env), cwd=str(ROOT))
    printer.width = max(printer.width, len(DEVSTACK))
    return manager


def run_processes(
    manager: Manager, printer: Printer, pid_file: Path | None = None, expect_exit: bool = False
) -> RunOutcome:
    """Run the Manager's children until Ctrl-C, SIGTERM or the first one's exit, which honcho
    answers by stopping all of them (SIGTERM to each process group, SIGKILL after 5 s)."""
    events = WatchedEvents(manager, printer, pid_file, expect_exit)
    manager.events = events
    # honcho handles SIGINT and SIGTERM while it loops, and leaves its handlers behind: put
    # ours back after. A closed terminal (SIGHUP) is a stop too.
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    signal.signal(signal.SIGHUP, lambda *_: signal.raise_signal(signal.SIGTERM))
    try:
        manager.loop()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    stop_leftovers(events.outcome.pids)
    return events.outcome


def run_once(printer: Printer, name: str, args: Sequence[str], env: Mapping[str, str]) -> int:
    """Run a setup command to its end with prefixed output; its exit code. Ctrl-C stops it
    and raises StopRequested."""
    outcome = run_processes(new_manager(printer, {name: args}, env), printer, expect_exit=True)
    if outcome.first_exit is None:
        raise StopRequested()
    return outcome.first_exit[1]


def stop_leftovers(pids: Mapping[str, int]) -> None:
    """SIGKILL what is left of each child's process group once honcho saw the child itself end
    (a pool process that outlived its parent, say). Each group is one our child led, and a
    group's ID is not reused while it has members, so this reaches nothing we did not start."""
    for pid in pids.values():
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # the usual case: the whole group is gone


def another_stack_running(pid_file: Path) -> int | None:
    """The PID of a devstack still running on the same instance folder, if any."""
    try:
        first = pid_file.read_text().split()
        pid = int(first[1]) if first[:1] == [DEVSTACK] else 0
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
