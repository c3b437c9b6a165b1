"""Bench data made by set-based SQL (INSERT ... SELECT over a series), never an ORM loop.

Every person has 10 tasks: 3 due within 24 hours, 2 overdue, 3 due later, 2 completed this
week, in one of several timezones; people form teams of TEAM_SIZE on one project each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection
from werkzeug.security import generate_password_hash

TASKS_PER_USER = 10
TEAM_SIZE = 100
PASSWORD = "bench password 0123"
TIMEZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Asia/Kolkata",
)


def email_of(user_id: int) -> str:
    return f"user{user_id}@bench.example"


def series(dialect: str, alias: str, count: str) -> str:
    """A FROM item yielding `alias`.i = 1..count: generate_series on PostgreSQL, a recursive
    CTE on SQLite (whose Python build has no generate_series)."""
    if dialect == "postgresql":
        return f"generate_series(1, {count}) AS {alias}(i)"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {count})"
        f" SELECT i FROM s) AS {alias}"
    )


def hours_from(dialect: str, hours: str) -> str:
    """`:now` shifted by an integer SQL expression of hours, in the column's storage form."""
    if dialect == "postgresql":
        return f"(CAST(:now AS timestamptz) + ({hours}) * interval '1 hour')"
    return f"datetime(:now, ({hours}) || ' hours')"


def timezone_case(column: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{tz}'" for i, tz in enumerate(TIMEZONES))
    return f"CASE {column} % {len(TIMEZONES)} {whens} END"


def first_free_id(conn: Connection, table: str) -> int:
    """The next id `table` would hand out: rows are inserted with ids from here up."""
    if conn.dialect.name == "postgresql":
        return conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
        ).scalar()
    return conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar()


def insert_users(conn: Connection, users: int, now: datetime, first: int) -> None:
    d = conn.dialect.name
    conn.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, timezone, is_admin, is_active,"
            " session_token, created_at, updated_at)"
            " SELECT :first + g.i - 1, 'user' || (:first + g.i - 1) || '@bench.example',"
            f" 'Person ' || g.i, :hash, {timezone_case('g.i')}, g.i = 1, true,"
            " 'token' || g.i, :now, :now"
            f" FROM {series(d, 'g', ':users')}"
        ),
        {
            "users": users,
            "first": first,
            "hash": generate_password_hash(PASSWORD),
            "now": _bind(d, now),
        },
    )


def insert_projects(
    conn: Connection, users: int, now: datetime, first_user: int, first: int
) -> int:
    """One project per team, owned by its first member; every member joins it."""
    d = conn.dialect.name
    teams = -(-users // TEAM_SIZE)
    params = {
        "teams": teams,
        "users": users,
        "size": TEAM_SIZE,
        "now": _bind(d, now),
        "u0": first_user,
        "p0": first,
    }
    conn.execute(
        text(
            "INSERT INTO projects (id, name, description, owner_id, created_at, updated_at)"
            " SELECT :p0 + g.i - 1, 'Team ' || g.i, '', :u0 + (g.i - 1) * :size, :now, :now"
            f" FROM {series(d, 'g', ':teams')}"
        ),
        params,
    )
    conn.execute(
        text(
            "INSERT INTO project_members (project_id, user_id, role, created_at, updated_at)"
            " SELECT :p0 + (g.i - 1) / :size, :u0 + g.i - 1,"
            " CASE WHEN (g.i - 1) % :size = 0 THEN 'owner' ELSE 'member' END, :now, :now"
            f" FROM {series(d, 'g', ':users')}"
        ),
        params,
    )
    return teams


# k (0..9) -> (status, due hours from now, completed hours ago or NULL)
TASK_MIX = (
    "CASE WHEN k.i <= 3 THEN 'pending' WHEN k.i <= 5 THEN 'in_progress'"
    " WHEN k.i <= 8 THEN 'blocked' ELSE 'completed' END",
    "CASE WHEN k.i <= 3 THEN 1 + (u.id + k.i) % 22"
    " WHEN k.i <= 5 THEN -1 - (u.id * k.i) % 72"
    " WHEN k.i <= 8 THEN 24 * (k.i - 4) ELSE -48 END",
)


def insert_tasks(
    conn: Connection, users: int, now: datetime, first_user: int, first_project: int
) -> None:
    d = conn.dialect.name
    status, due_hours = TASK_MIX
    completed = f"CASE WHEN k.i > 8 THEN {hours_from(d, '-24 * (k.i - 8)')} END"
    conn.execute(
        text(
            "INSERT INTO tasks (title, description, project_id, assignee_id, creator_id, status,"
            " priority, due_at, completed_at, created_at, updated_at)"
            " SELECT 'Task ' || k.i || ' of person ' || u.id, 'Something to do.',"
            f" :p0 + (u.id - :u0) / :size, u.id, u.id, {status},"
            " CASE k.i % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high'"
            f" ELSE 'critical' END, {hours_from(d, due_hours)}, {completed}, :now, :now"
            f" FROM users u CROSS JOIN {series(d, 'k', str(TASKS_PER_USER))}"
            " WHERE u.id >= :u0 AND u.id < :u0 + :users"
        ),
        {
            "users": users,
            "size": TEAM_SIZE,
            "now": _bind(d, now),
            "u0": first_user,
            "p0": first_project,
        },
    )


def insert_export_project(conn: Connection, owner_id: int, rows: int, now: datetime) -> int:
    """A project of `rows` unassigned tasks (so no digest changes), owned by `owner_id`."""
    d = conn.dialect.name
    project_id = first_free_id(conn, "projects")
    params = {"p": project_id, "owner": owner_id, "rows": rows, "now": _bind(d, now)}
    conn.execute(
        text(
            "INSERT INTO projects (id, name, description, owner_id, created_at, updated_at)"
            " VALUES (:p, 'Export', '', :owner, :now, :now)"
        ),
        params,
    )
    fix_sequences(conn)
    conn.execute(
        text(
            "INSERT INTO project_members (project_id, user_id, role, created_at, updated_at)"
            " VALUES (:p, :owner, 'owner', :now, :now)"
        ),
        params,
    )
    conn.execute(
        text(
            "INSERT INTO tasks (title, description, project_id, creator_id, status, priority,"
            " due_at, created_at, updated_at)"
            " SELECT 'Row ' || g.i, 'A task, with \"quotes\", commas and ünïcode.', :p, :owner,"
            f" 'pending', 'medium', {hours_from(d, 'g.i % 500')}, :now, :now"
            f" FROM {series(d, 'g', ':rows')}"
        ),
        params,
    )
    return project_id


def fix_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the data."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("users", "projects"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}), true)"
            )
        )


def generate(conn: Connection, users: int, now: datetime) -> dict[str, int]:
    """Add U people, their teams and tasks; returns the counts and the first ids."""
    first_user = first_free_id(conn, "users")
    insert_users(conn, users, now, first_user)
    first_project = first_free_id(conn, "projects")
    teams = insert_projects(conn, users, now, first_user, first_project)
    insert_tasks(conn, users, now, first_user, first_project)
    fix_sequences(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE"))
    tasks = conn.execute(text("SELECT count(*) FROM tasks")).scalar()
    return {
        "users": users,
        "projects": teams,
        "tasks": tasks,
        "first_user": first_user,
        "first_project": first_project,
    }


def _bind(dialect: str, now: datetime) -> object:
    # SQLite stores naive UTC text (see UTCDateTime); PostgreSQL takes the aware datetime.
    if dialect == "postgresql":
        return now
    return now.replace(tzinfo=None).isoformat(sep=" ")
