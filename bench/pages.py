"""Part 4: a bounded load with wrk on 127.0.0.1 against gunicorn, page by page.

The ceiling is /healthz, a hello-world route of the same app behind the same server."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from statistics import median
from typing import Any

from flask import Flask, url_for

from bench import stack
from bench.data import PASSWORD, email_of
from bench.report import fraction

SCRIPT = Path(__file__).with_name("pages.lua")


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("the pages benchmark needs wrk: apt-get install wrk (or pass --no-pages)")
    return found


def session_cookie(app: Flask, user_id: int) -> str:
    """Log in through the real login form (CSRF token and all) and keep the session cookie."""
    client = app.test_client()
    base = "https://localhost"  # production cookies are Secure: only sent over https
    with app.test_request_context():
        login = url_for("auth.login")
    page = client.get(login, base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": email_of(user_id), "password": PASSWORD}
    if token:
        form["csrf_token"] = token.group(1)
    # Flask-WTF checks the Referer of an https form post against the host.
    answer = client.post(login, data=form, base_url=base, headers={"Referer": base + login})
    if answer.status_code != 302:
        raise RuntimeError(f"bench login failed: {answer.status_code}")
    cookie = client.get_cookie("session", domain="localhost")
    return f"session={cookie.value}"


def check_page(url: str, cookie: str) -> None:
    """The page answers 200 to this session (not a redirect to the login page)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback only)
        if answer.status != 200 or "login" in answer.url:
            raise RuntimeError(f"{url} answered {answer.status} at {answer.url}")


def load(url: str, cookie: str, seconds: int, connections: int, threads: int) -> dict[str, Any]:
    """One wrk run; figures from wrk's own JSON line (bench/pages.lua)."""
    args = [
        require_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith('{"requests"'))
    raw = json.loads(line)
    return {
        "requests": raw["requests"],
        "requests_per_second": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["status_errors"] + raw["socket_errors"],
    }


def run(
    app: Flask,
    base: str,
    server: stack.Process,
    paths: dict[str, str],
    seconds: int,
    connections: int,
    rounds: int = 3,
) -> dict[str, Any]:
    """Each page in turn, `rounds` times over, the ceiling among them: a page and its ceiling
    are measured minutes apart at most, so load from elsewhere on the machine hits both alike.
    Each figure is the median over the rounds; each ratio is taken within its round."""
    cookie = session_cookie(app, 1)
    pages = {CEILING: "/healthz", **paths}
    for path in pages.values():
        check_page(base + path, cookie)
        load(base + path, cookie, 1, connections, 2)  # warm every worker's templates, pool
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, path in pages.items():
            runs[name].append(load_with_cpu(base + path, cookie, seconds, connections, server))
        ceiling = runs[CEILING][-1]["requests_per_second"]
        for name in pages:
            runs[name][-1]["fraction_of_ceiling"] = fraction(
                runs[name][-1]["requests_per_second"], ceiling
            )
    return {name: {"path": pages[name], **summarise(found)} for name, found in runs.items()}


def load_with_cpu(
    url: str, cookie: str, seconds: int, connections: int, server: stack.Process
) -> dict[str, Any]:
    """A wrk run, and the CPU each side spent per request meanwhile: where a page's cost is
    (the app's Python in gunicorn's workers, or PostgreSQL), which rates alone cannot say."""
    sides = {"app": server.group_pids, "postgresql": lambda: stack.pids_named("postgres")}
    before = {side: stack.cpu_ticks(pids()) for side, pids in sides.items()}
    found = load(url, cookie, seconds, connections, 2)
    requests = max(found["requests"], 1)
    for side, pids in sides.items():
        spent = stack.cpu_ticks(pids()) - before[side]
        found[f"{side}_cpu_ms_per_request"] = spent * 1000 / TICKS_PER_SECOND / requests
    return found


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
CEILING = "ceiling (/healthz)"


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "requests_per_second",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "fraction_of_ceiling",
        "app_cpu_ms_per_request",
        "postgresql_cpu_ms_per_request",
    )
    summary: dict[str, Any] = {key: median(run[key] for run in runs) for key in keys}
    summary["requests"] = sum(run["requests"] for run in runs)
    summary["errors"] = sum(run["errors"] for run in runs)
    summary["rounds"] = len(runs)
    return summary
