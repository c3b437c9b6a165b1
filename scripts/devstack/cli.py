"""`make run`: Redis, a mailbox, the web app, a Celery worker and beat; one Ctrl-C stops all."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from dotenv import load_dotenv

from scripts.devstack.processes import (
    DEVSTACK,
    StopRequested,
    another_stack_running,
    console_printer,
    install_stop_handlers,
    say,
)
from scripts.devstack.settings import ROOT, DevstackError, Stack, choose_web_port, env_value
from scripts.devstack.stack import run_stack, runtime_settings_file

PID_FILE_NAME = "devstack.pids"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.devstack", description=__doc__)
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
    env = dict(os.environ)
    printer = console_printer()
    install_stop_handlers()
    stack = Stack(instance_dir(args.instance_dir, env))
    stack.state_dir.mkdir(parents=True, exist_ok=True)
    pid_file = stack.state_dir / PID_FILE_NAME
    running = another_stack_running(pid_file)
    if running is not None:
        say(printer, f"Error: devstack (PID {running}) is using {stack.instance_dir}:")
        say(printer, f"stop it, or delete {pid_file} if it is not running.")
        return 1
    pid_file.write_text(f"{DEVSTACK} {os.getpid()}\n")  # the folder is ours from now on
    try:
        stack.web_port, note = choose_web_port(env)
        say(printer, note)
        code = run_stack(printer, stack, env, pid_file)
    except (StopRequested, KeyboardInterrupt):
        code = 0
    except DevstackError as error:
        say(printer, f"Error: {error}")
        code = 1
    finally:
        runtime_settings_file(stack).unlink(missing_ok=True)
        pid_file.unlink(missing_ok=True)
    say(printer, "Everything stopped.")
    return code
