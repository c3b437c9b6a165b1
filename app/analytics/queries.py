"""The fixed-count queries behind the analytics pages, and the snapshot cache they fill."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, func, literal, or_, select, union
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.analytics.models import AnalyticsScope, AnalyticsSnapshot
from app.analytics.rules import TaskFacts, compute_analytics, week_starts
from app.core.database import DbSession
from app.labels.models import Label, task_labels
from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus, not_deleted

# Rows fetched per round trip while streaming a big project's tasks.
YIELD_PER = 2000


def scope_timezone(session: DbSession, scope: AnalyticsScope, scope_id: int) -> str | None:
    """The zone weeks start in: the project owner's, or the person's; None if the scope is gone."""
    if scope == AnalyticsScope.PROJECT:
        query = select(User.timezone).join(Project, Project.owner_id == User.id)
        return session.scalar(query.where(Project.id == scope_id))
    return session.scalar(select(User.timezone).where(User.id == scope_id))


def _scope_filter(scope: AnalyticsScope, scope_id: int) -> ColumnElement[bool]:
    """The scope's tasks outside the Trash (archived ones stay: they are completed history)."""
    if scope == AnalyticsScope.PROJECT:
        return (Task.project_id == scope_id) & not_deleted()
    return (Task.assignee_id == scope_id) & not_deleted()


def status_priority_counts(
    session: DbSession, scope: AnalyticsScope, scope_id: int
) -> list[tuple[str, str, int]]:
    """How many of the scope's tasks are in each (status, priority), archived ones included."""
    rows = session.execute(
        select(Task.status, Task.priority, func.count())
        .where(_scope_filter(scope, scope_id))
        .group_by(Task.status, Task.priority)
    ).all()
    return [(status.value, priority.value, number) for status, priority, number in rows]


def label_counts(
    session: DbSession, scope: AnalyticsScope, scope_id: int
) -> list[tuple[str, int, int]]:
    """Each label's open and total tasks in the scope (archived ones counted as done), by name."""
    is_open = (Task.status != TaskStatus.COMPLETED) & Task.archived_at.is_(None)
    rows = session.execute(
        select(Label.name, func.count().filter(is_open), func.count())
        .select_from(task_labels)
        .join(Label, Label.id == task_labels.c.label_id)
        .join(Task, Task.id == task_labels.c.task_id)
        .where(_scope_filter(scope, scope_id))
        .group_by(Label.name)
        .order_by(Label.name)
    ).all()
    return [(name, open_count, total) for name, open_count, total in rows]


def stream_facts(
    session: DbSession, scope: AnalyticsScope, scope_id: int, since: datetime
) -> Iterator[TaskFacts]:
    """The moments of every task still open or completed since `since`, streamed in batches."""
    query = (
        select(Task.created_at, Task.completed_at, Task.due_at)
        .where(
            _scope_filter(scope, scope_id),
            or_(Task.completed_at.is_(None), Task.completed_at >= since),
        )
        .execution_options(yield_per=YIELD_PER)
    )
    for row in session.execute(query):
        yield TaskFacts(*row)


def compute_snapshot(
    session: DbSession,
    scope: AnalyticsScope,
    scope_id: int,
    now: datetime,
    computed_at: datetime | None = None,
) -> dict[str, Any] | None:
    """Compute the scope's numbers as of `now` and store them in five queries; None when the
    scope is gone. `computed_at` (default `now`) is when, stamped on the snapshot."""
    timezone_name = scope_timezone(session, scope, scope_id)
    if timezone_name is None:
        return None
    counts = status_priority_counts(session, scope, scope_id)
    since = week_starts(now, timezone_name)[0]
    facts = stream_facts(session, scope, scope_id, since)
    labels = label_counts(session, scope, scope_id)
    data = compute_analytics(facts, counts, now, timezone_name, label_counts=labels)
    data["as_of"] = now.isoformat()
    store_snapshot(session, scope, scope_id, data, computed_at or now)
    return data


def store_snapshot(
    session: DbSession,
    scope: AnalyticsScope,
    scope_id: int,
    data: dict[str, Any],
    computed_at: datetime,
) -> None:
    """Insert or replace the scope's snapshot in one statement; two jobs racing cannot duplicate."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = module.insert(AnalyticsSnapshot).values(
        scope=scope, scope_id=scope_id, computed_at=computed_at, data=data
    )
    statement = statement.on_conflict_do_update(
        index_elements=["scope", "scope_id"],
        set_={"computed_at": statement.excluded.computed_at, "data": statement.excluded.data},
    )
    session.execute(statement)


def read_snapshot(
    session: DbSession, scope: AnalyticsScope, scope_id: int
) -> AnalyticsSnapshot | None:
    """The cached numbers for a page: one query, whatever the number of tasks."""
    return session.scalar(
        select(AnalyticsSnapshot).where(
            AnalyticsSnapshot.scope == scope, AnalyticsSnapshot.scope_id == scope_id
        )
    )


def scopes_with_tasks(session: DbSession) -> tuple[list[int], list[int]]:
    """Project ids and assignee ids that have any task, in one query."""
    projects = select(literal("project").label("scope"), Task.project_id.label("scope_id")).where(
        not_deleted()
    )
    # cast: mypy cannot see that the WHERE leaves out NULL assignees.
    people = cast(
        "Select[str, int]",
        select(literal("user"), Task.assignee_id).where(
            Task.assignee_id.is_not(None), not_deleted()
        ),
    )
    rows = session.execute(union(projects, people)).all()
    project_ids = sorted(scope_id for scope, scope_id in rows if scope == "project")
    user_ids = sorted(scope_id for scope, scope_id in rows if scope == "user")
    return project_ids, user_ids
