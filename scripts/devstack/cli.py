"""`make run`: Redis, a mailbox, the web app, a Celery worker and beat; one Ctrl-C stops all."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from dotenv import load_dotenv

from scripts.devstack.settings import ROOT, DevstackError, choose_web_port, env_value
from scripts.devstack.stack import Stack, run_stack, runtime_settings_file
from scripts.devstack.supervisor import (
    ChildExited,
    Console,
    StopRequested,
    StopSignals,
    Supervisor,
    another_stack_running,
)

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
