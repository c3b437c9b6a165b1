"""The API against a real fuzzer: schemathesis runs every check, every phase (examples,
coverage, fuzzing, and the stateful phase that follows the links it finds between operations)
against the app served over real HTTP, authenticated with a token. Every operation in the
document is covered as blueprints are added; zero failures is the bar.

Bounded: a fixed number of examples per operation and a hard timeout, so `make test` stays
within minutes on 2 cores. TICKLER_FUZZ_EXAMPLES and TICKLER_FUZZ_SEED change the run (the
seed is printed, so a failure can be replayed)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.api.conftest import new_token

EXAMPLES = int(os.environ.get("TICKLER_FUZZ_EXAMPLES", "15"))
SEED = int(os.environ.get("TICKLER_FUZZ_SEED", "21"))
# The whole run, however many operations the document has by then; a run that needs longer
# fails with what schemathesis printed so far rather than stalling `make test`.
TIMEOUT_SECONDS = 420
ST = Path(sys.executable).with_name("st")
# Which answers each check expects (schemathesis.toml beside this file explains why).
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture
def api_server(app: Any) -> Iterator[str]:
    """The app over real HTTP on a free loopback port, in this process (its test database)."""
    # The fuzzer sends thousands of requests with one token: the per-token limit (tested in
    # test_rate_limits.py) would turn most of them into 429s and hide what they would find.
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def fuzz_token(app: Any, make: Any) -> str:
    """A member of a project with a task and a teammate: something to read and change."""
    owner = make.user(email="fuzz@example.com", name="Fuzz Owner")
    mate = make.user(email="mate@example.com", name="Mate")
    project = make.project(owner, name="Fuzzed", members=(mate,))
    make.task(project, owner, title="Seeded task")
    return new_token(app, owner, ("read", "write"))


def schemathesis_command(base_url: str, token: str, report_dir: Path) -> list[str]:
    return [
        str(ST),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--url",
        base_url,
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
        "--no-color",
    ]


def test_schemathesis_finds_no_failure_in_any_operation(
    api_server: str, fuzz_token: str, tmp_path: Path
) -> None:
    assert ST.exists(), f"schemathesis' CLI is part of requirements-dev.txt: {ST} missing"
    command = schemathesis_command(api_server, fuzz_token, tmp_path)
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            cwd=tmp_path,
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
        )
    except subprocess.TimeoutExpired as stopped:
        output = (stopped.stdout or b"").decode() if isinstance(stopped.stdout, bytes) else ""
        pytest.fail(f"schemathesis ran past {TIMEOUT_SECONDS} s (seed {SEED}):\n{output}")
    report = run.stdout + run.stderr
    assert run.returncode == 0, f"schemathesis found failures (seed {SEED}):\n{report}"
    print(report)
    assert "Operations:" in report and " 0 selected" not in report, report
