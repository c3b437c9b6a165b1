"""The parts of the load test: set-based seeding, a counting SMTP sink, browser-like clients."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import httpx
from sqlalchemy import Connection, text

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")


# --- Seeding: a fixed number of statements, whatever the head count -----------------------


def seed_people(connection: Connection, prefix: str, count: int, password_hash: str) -> None:
    """`count` active people <prefix><n>@example.com in a mix of zones, in one INSERT."""
    connection.execute(
        text(
            "INSERT INTO users (email, name, password_hash, timezone, is_admin, is_active,"
            " created_at, updated_at)"
            " SELECT :prefix || n || '@example.com', 'Person ' || :prefix || ' ' || n, :hash,"
            " (CAST(:zones AS text[]))[1 + n % :zone_count],"
            " false, true, now(), now()"
            " FROM generate_series(1, :count) AS n"
        ),
        {
            "prefix": prefix,
            "hash": password_hash,
            "zones": list(TIMEZONES),
            "zone_count": len(TIMEZONES),
            "count": count,
        },
    )


def seed_reminder_run(connection: Connection, prefix: str, due_in_hours: int) -> int:
    """One project holding one open task, due soon, for each <prefix> person; its id."""
    project_id = connection.execute(
        text(
            "INSERT INTO projects (name, description, owner_id, created_at, updated_at)"
            " SELECT 'Reminder run', '', min(id), now(), now() FROM users"
            " WHERE email LIKE :pattern RETURNING id"
        ),
        {"pattern": prefix + "%"},
    ).scalar_one()
    connection.execute(
        text(
            "INSERT INTO project_members (project_id, user_id, role, created_at, updated_at)"
            " SELECT :project, id, 'member', now(), now() FROM users WHERE email LIKE :pattern"
        ),
        {"project": project_id, "pattern": prefix + "%"},
    )
    connection.execute(
        text(
            "INSERT INTO tasks (title, description, project_id, assignee_id, creator_id, status,"
            " priority, due_at, created_at, updated_at)"
            " SELECT 'File the report for ' || name, '', :project, id, id, 'pending', 'medium',"
            " now() + make_interval(hours => :hours), now(), now()"
            " FROM users WHERE email LIKE :pattern"
        ),
        {"project": project_id, "pattern": prefix + "%", "hours": due_in_hours},
    )
    return project_id


def seed_client_projects(
    connection: Connection, prefix: str, projects: int, tasks_per_project: int
) -> dict[int, list[int]]:
    """Projects shared by the <prefix> people (round robin), each with tasks due in ten days
    (outside the reminder window); returns {user id: [project id, task ids...]} as a map of
    person to what they may open: the project first, then its tasks."""
    people = connection.execute(
        text("SELECT id FROM users WHERE email LIKE :pattern ORDER BY id"),
        {"pattern": prefix + "%"},
    ).scalars()
    people = list(people)
    owners = people[:projects]
    project_ids = connection.execute(
        text(
            "INSERT INTO projects (name, description, owner_id, created_at, updated_at)"
            " SELECT 'Team ' || o, '', o, now(), now() FROM unnest(CAST(:owners AS int[])) AS o"
            " RETURNING id"
        ),
        {"owners": owners},
    ).scalars()
    project_ids = list(project_ids)
    membership = [(project_ids[i % projects], person) for i, person in enumerate(people)]
    connection.execute(
        text(
            "INSERT INTO project_members (project_id, user_id, role, created_at, updated_at)"
            " SELECT p.id, m.u, CASE WHEN p.owner_id = m.u THEN 'owner' ELSE 'member' END,"
            " now(), now() FROM unnest(CAST(:projects AS int[]), CAST(:people AS int[]))"
            " AS m(p, u) JOIN projects p ON p.id = m.p"
        ),
        {"projects": [p for p, _ in membership], "people": [u for _, u in membership]},
    )
    connection.execute(
        text(
            "INSERT INTO tasks (title, description, project_id, assignee_id, creator_id, status,"
            " priority, due_at, created_at, updated_at)"
            " SELECT 'Chore ' || n || ' of ' || p.name, 'Details of chore ' || n, p.id,"
            " p.owner_id, p.owner_id, 'pending', 'medium',"
            " now() + interval '10 days' + make_interval(mins => n), now(), now()"
            " FROM projects p CROSS JOIN generate_series(1, :per) AS n"
            " WHERE p.id = ANY(CAST(:projects AS int[]))"
        ),
        {"per": tasks_per_project, "projects": project_ids},
    )
    tasks = connection.execute(
        text(
            "SELECT project_id, array_agg(id ORDER BY id) FROM tasks"
            " WHERE project_id = ANY(CAST(:projects AS int[])) GROUP BY project_id"
        ),
        {"projects": project_ids},
    ).all()
    by_project = dict(tasks)
    return {person: [project, *by_project[project]] for project, person in membership}


# --- The SMTP sink ---------------------------------------------------------------------------


class CountingHandler:
    """Accepts every message and counts it per envelope recipient; keeps no bodies."""

    def __init__(self, watched_prefix: str) -> None:
        self.lock = threading.Lock()
        self.per_recipient: Counter[str] = Counter()
        self.messages = 0
        self.watched_prefix = watched_prefix
        # time.monotonic() of the last message to a watched address: when a run was done.
        self.last_watched_at: float | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        addresses = [address.lower() for address in envelope.rcpt_tos]
        with self.lock:
            self.messages += 1
            self.per_recipient.update(addresses)
            if any(address.startswith(self.watched_prefix) for address in addresses):
                self.last_watched_at = time.monotonic()
        return "250 Message accepted for delivery"

    def count_for(self, prefix: str) -> Counter[str]:
        with self.lock:
            return Counter({a: n for a, n in self.per_recipient.items() if a.startswith(prefix)})


# --- Browser-like clients --------------------------------------------------------------------


@dataclass
class Tally:
    """What every client saw, shared by all of them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    page_seconds: dict[str, list[float]] = field(default_factory=dict)
    # Every GET (a page a person waits for), whichever page it was.
    get_seconds: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    comments_posted: int = 0
    completions_queued: int = 0
    logins: int = 0

    def record(self, page: str, response: httpx.Response, seconds: float) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            self.page_seconds.setdefault(page, []).append(seconds)
            if response.request.method == "GET":
                self.get_seconds.append(seconds)
            if response.status_code >= 400:
                where = f"{response.request.method} {response.request.url.path}"
                self.failures.append(f"{response.status_code} {where}")

    def add(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)


class BrowserClient:
    """One person's browser: its own cookies (kept by hand: production cookies are Secure, and
    this plain-HTTP loopback client would otherwise drop them), CSRF tokens from the pages."""

    def __init__(self, base_url: str, tally: Tally, seed: int) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False)
        self.tally = tally
        self.cookies: dict[str, str] = {}
        self.random = random.Random(seed)

    def request(self, page: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            with self.tally.lock:
                self.tally.failures.append(f"{type(error).__name__} {method} {url}")
            raise
        self.tally.record(page, response, time.perf_counter() - started)
        for header in response.headers.get_list("set-cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def csrf_from(self, response: httpx.Response) -> str:
        match = CSRF.search(response.text)
        if match is None:
            raise AssertionError(f"no CSRF token on {response.request.url.path}")
        return match.group(1)

    def login(self, email: str, password: str) -> None:
        form = self.request("login form", "GET", "/login")
        answer = self.request(
            "login",
            "POST",
            "/login",
            data={"email": email, "password": password, "csrf_token": self.csrf_from(form)},
        )
        if answer.status_code != 302:
            raise AssertionError(f"{email} could not log in: {answer.status_code}")
        self.tally.add("logins")

    def browse(self, project_id: int, task_ids: list[int], until: float, think: float) -> None:
        """Dashboard, a page of the task list, a task; now and then a comment or a completion."""
        rounds = 0
        while time.monotonic() < until:
            rounds += 1
            task_id = self.random.choice(task_ids)
            self.request("dashboard", "GET", "/")
            page = self.random.randint(1, 8)
            self.request("task list", "GET", f"/projects/{project_id}/tasks?page={page}")
            detail = self.request("task detail", "GET", f"/task/{task_id}")
            # The first round writes too, so every client comments and completes however slow
            # the machine is; later rounds keep the mix (a comment every 3, a completion every 10).
            if rounds % 3 == 1:
                self.comment(task_id, self.csrf_from(detail), rounds)
            if rounds % 10 == 1:
                self.complete(task_id, self.csrf_from(detail))
            time.sleep(self.random.uniform(0, think))

    def comment(self, task_id: int, token: str, n: int) -> None:
        body = f"Looked at this (round {n}) — see https://example.com/notes/{n}"
        answer = self.request(
            "post comment",
            "POST",
            f"/task/{task_id}/comments",
            data={"body": body, "csrf_token": token},
        )
        if answer.status_code == 302:
            self.tally.add("comments_posted")

    def complete(self, task_id: int, token: str) -> None:
        answer = self.request(
            "complete task", "POST", f"/task/{task_id}/complete", data={"csrf_token": token}
        )
        if answer.status_code == 302:
            self.tally.add("completions_queued")

    def close(self) -> None:
        self.http.close()


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value at or above `fraction` of them."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]
