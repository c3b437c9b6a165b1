"""Search at 100,000 tasks (issue 19): its own PostgreSQL database, tasks and comments made by
set-based SQL from a vocabulary with a skewed word frequency, then the search page of a person
in 5 of 100 projects and of one in all 100, timed in-process (the Flask test client: SQL,
snippets and the template): p50 and p95 of each query, and its CPU per request (the app's and
PostgreSQL's), which a loaded machine does not inflate as it does wall time."""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any

import flask_migrate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from werkzeug.security import generate_password_hash

from app import create_app
from app.core.database import utcnow
from app.extensions import db
from bench import stack
from bench.report import percentile

PASSWORD = "bench password 0123"
PROJECTS = 100
USERS = 1000
# A person in every fifth project's team (5 of 100), and one in all of them: the worst case.
SPREAD = 20
EVERYWHERE = USERS + 1
COMMENTS_PER_TASK = 2
# Words of a team's tasks; the first are the commonest (the draw below is skewed towards them).
VOCABULARY = (
    "update fix review customer report invoice release deploy meeting design email server "
    "client budget plan test database migration onboarding contract supplier marketing "
    "website mobile payment account security backup monitoring dashboard analytics pricing "
    "newsletter hiring interview training documentation translation accessibility legal "
    "audit compliance warehouse shipping inventory refund support ticket escalation outage "
    "latency performance cache queue worker scheduler calendar reminder notification export "
    "import spreadsheet quarterly annual forecast roadmap milestone sprint retrospective "
    "backlog feature bug regression hotfix staging production rollback kubernetes terraform "
    "certificate domain firewall vendor procurement laptop office lease insurance payroll "
    "expense travel conference workshop webinar podcast brochure logo typography illustration "
    "photography video campaign partner reseller distributor franchise tulip zeppelin"
).split()


def words(count: int, seed: str) -> str:
    """SQL for `count` words drawn from VOCABULARY, the commonest first (power of random())."""
    size = len(VOCABULARY)
    draws = [
        f"(ARRAY[{', '.join(repr(w) for w in VOCABULARY)}])"
        f"[1 + floor({size} * power(random(), 2.2 + {seed}))::int]"
        for _ in range(count)
    ]
    return " || ' ' || ".join(draws)


def generate(conn: Connection, tasks: int, now: datetime) -> dict[str, int]:
    """People, projects, memberships, tasks, comments and labels; returns the counts."""
    conn.execute(text("SELECT setseed(0.42)"))
    conn.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, timezone, is_admin, is_active,"
            " session_token, created_at, updated_at)"
            " SELECT g, 'searcher' || g || '@bench.example', 'Person ' || g, :hash, 'UTC',"
            " false, true, 'token' || g, :now, :now FROM generate_series(1, :users) g"
        ),
        {"hash": generate_password_hash(PASSWORD), "now": now, "users": EVERYWHERE},
    )
    conn.execute(
        text(
            "INSERT INTO projects (id, name, description, owner_id, created_at, updated_at)"
            " SELECT g, 'Project ' || g, '', g, :now, :now FROM generate_series(1, :p) g"
        ),
        {"now": now, "p": PROJECTS},
    )
    conn.execute(
        text(
            "INSERT INTO project_members (project_id, user_id, role, created_at, updated_at)"
            " SELECT p, u, CASE WHEN p = u THEN 'owner' ELSE 'member' END, :now, :now"
            " FROM generate_series(1, :p) p, generate_series(1, :users) u"
            " WHERE u % :spread = p % :spread OR u = :everywhere OR u = p"
        ),
        {
            "now": now,
            "p": PROJECTS,
            "users": EVERYWHERE,
            "spread": SPREAD,
            "everywhere": EVERYWHERE,
        },
    )
    # g % PROJECTS picks the project: the rest are spread by g / PROJECTS (the task's number
    # within its project), so every project has the same mix.
    statuses = "(ARRAY['pending','in_progress','blocked','completed'])[1 + (g / :p) % 4]"
    conn.execute(
        text(
            "INSERT INTO tasks (title, description, project_id, assignee_id, creator_id, status,"
            " priority, due_at, archived_at, deleted_at, created_at, updated_at)"
            f" SELECT initcap({words(4, '0')}), {words(30, '0.3')},"
            " 1 + g % :p, CASE WHEN (g / :p) % 5 = 0 THEN NULL ELSE 1 + (g * 7919) % :users END,"
            f" 1 + g % :p, {statuses}, 'medium', :now + ((g / :p) % 120 - 60) * interval '1 day',"
            " CASE WHEN (g / :p) % 10 = 3 THEN :now END, CASE WHEN (g / :p) % 50 = 7 THEN :now END,"
            " :now, :now FROM generate_series(1, :tasks) g"
        ),
        {"now": now, "p": PROJECTS, "users": USERS, "tasks": tasks},
    )
    conn.execute(
        text(
            "INSERT INTO comments (task_id, author_id, body, created_at, updated_at)"
            f" SELECT t.id, 1 + (t.id + c) % :users, {words(15, '0.1')}, :now, :now"
            " FROM tasks t, generate_series(1, :per) c"
        ),
        {"now": now, "users": USERS, "per": COMMENTS_PER_TASK},
    )
    conn.execute(
        text(
            "INSERT INTO labels (project_id, name, color, created_at, updated_at)"
            " SELECT p, name, '#3b6ea8', :now, :now FROM generate_series(1, :p) p,"
            " unnest(ARRAY['ops', 'urgent', 'design', 'finance', 'later']) name"
        ),
        {"now": now, "p": PROJECTS},
    )
    conn.execute(
        text(
            "INSERT INTO task_labels (task_id, label_id)"
            " SELECT t.id, l.id FROM tasks t JOIN labels l ON l.project_id = t.project_id"
            " WHERE (t.id + l.id) % 7 = 0"
        )
    )
    conn.execute(text("ANALYZE"))
    count = lambda table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: E731
    return {table: count(table) for table in ("tasks", "comments", "task_labels")}


# name -> query string: what people type, and a filtered search.
QUERIES = {
    "common word": "q=update",
    "rare word": "q=zeppelin",
    "two words": "q=customer+invoice",
    "prefix": "q=mig",
    "three words + filters": (
        "q=release+server+plan&status=pending&status=blocked&label=ops"
        "&due_from=2020-01-01&due_to=2100-01-01"
    ),
    "no match": "q=qwertyuiop",
}
SEARCHERS = {"member of 5 of 100 projects": 1, "member of all 100 projects": EVERYWHERE}


def backend_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving the bench's app (its pool's connections)."""
    admin = create_engine(stack.POSTGRES_ADMIN_URL)
    with admin.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": database}
        ).scalars()
        found = list(pids)
    admin.dispose()
    return found


def time_page(client: Any, query: str, rounds: int, database: str) -> dict[str, Any]:
    """Wall time of each request (p50, p95), and the CPU a request costs: this process's (the
    app, in-process) plus its PostgreSQL backends'. On a machine others load, wall time
    swells with the wait for a core; CPU per request is what a quiet machine would take."""
    for _ in range(3):  # warm: plans, caches, the pool's connection
        client.get(f"/search?{query}")
    pids = backend_pids(database)
    times, found = [], ""
    app_cpu, db_ticks = time.process_time(), stack.cpu_ticks(pids)
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(f"/search?{query}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        found = response.text
    app_ms = (time.process_time() - app_cpu) * 1000 / rounds
    db_ms = (stack.cpu_ticks(pids) - db_ticks) * 1000 / os.sysconf("SC_CLK_TCK") / rounds
    shown = found.count('class="search-result"')
    return {
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "cpu_ms_per_request": app_ms + db_ms,
        "app_cpu_ms": app_ms,
        "postgresql_cpu_ms": db_ms,
        "results_on_page": shown,
    }


def run(tasks: int = 100_000, rounds: int = 40) -> dict[str, Any]:
    """Build the data in a private database, time every query for every searcher."""
    name = f"tickler_bench_search_{os.getpid()}"
    with stack.postgres_database(name) as url:
        app = create_app(
            {"TICKLER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            flask_migrate.upgrade(directory=str(stack.ROOT / "migrations"))
            # One backend per query, so its CPU is all counted (parallel workers come and go);
            # new connections take it up.
            with db.engine.begin() as conn:
                conn.execute(
                    text(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
                )
            started = time.perf_counter()
            with db.engine.begin() as conn:
                counts = generate(conn, tasks, utcnow())
            counts["seconds_to_build"] = round(time.perf_counter() - started, 1)
            db.session.remove()
            db.engine.dispose()
        print(f"search data: {counts}", flush=True)
        # The machine's load while timing: on a shared machine it moves every figure.
        figures: dict[str, Any] = {"data": counts, "queries": {}, "load": [os.getloadavg()[0]]}
        for who, user_id in SEARCHERS.items():
            client = app.test_client()
            email = f"searcher{user_id}@bench.example"
            client.post("/login", data={"email": email, "password": PASSWORD})
            for label, query in QUERIES.items():
                measured = time_page(client, query, rounds, name)
                figures["queries"][f"{label}, {who}"] = measured
                print(f"search {label}, {who}: {measured}", flush=True)
        figures["load"].append(os.getloadavg()[0])
        with app.app_context():
            db.engine.dispose()
    return figures
