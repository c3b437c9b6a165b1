"""Analytics jobs: compute one scope's numbers into the cache, and refresh them all."""

from __future__ import annotations

from datetime import UTC, datetime

from celery import Task, shared_task

from app import task_catalog as catalog
from app.analytics.models import AnalyticsScope
from app.analytics.queries import compute_snapshot, scopes_with_tasks
from app.core.database import utcnow
from app.extensions import db
from app.operations.job_runs import recorded_run


def _compute(scope: AnalyticsScope, scope_id: int, as_of: str | None) -> dict[str, object]:
    now = utcnow()
    moment = datetime.fromisoformat(as_of) if as_of else now
    if moment.tzinfo is None:  # a hand-typed moment from celery_utils; read it as UTC
        moment = moment.replace(tzinfo=UTC)
    data = compute_snapshot(db.session, scope, scope_id, moment, computed_at=now)
    db.session.commit()
    if data is None:
        return {scope.value: scope_id, "missing": True}
    return {scope.value: scope_id, "tasks": data["total"]}


@shared_task(name=catalog.COMPUTE_PROJECT_ANALYTICS.name)
def compute_project_analytics(project_id: int, as_of: str | None = None) -> dict[str, object]:
    """Recompute a project's analytics snapshot (weeks in the owner's timezone); `as_of`, an
    ISO datetime with its offset, reads the numbers at another moment than now."""
    return _compute(AnalyticsScope.PROJECT, project_id, as_of)


@shared_task(name=catalog.COMPUTE_USER_ANALYTICS.name)
def compute_user_analytics(user_id: int, as_of: str | None = None) -> dict[str, object]:
    """Recompute a person's analytics snapshot over the tasks assigned to them."""
    return _compute(AnalyticsScope.USER, user_id, as_of)


@shared_task(bind=True, name=catalog.PRECOMPUTE_ANALYTICS.name)
def precompute_analytics(self: Task) -> dict[str, int]:
    """Queue a recomputation for every project and every person that has tasks."""
    with recorded_run(db.session, self.name, self.request.id) as note:
        project_ids, user_ids = scopes_with_tasks(db.session)
        for project_id in project_ids:
            compute_project_analytics.delay(project_id)
        for user_id in user_ids:
            compute_user_analytics.delay(user_id)
        # The run's record, stored as written (in English, like a log line) for Admin › Jobs.
        projects = _count(len(project_ids), "project", "projects")
        people = _count(len(user_ids), "person", "people")
        note.summary = f"{projects} and {people} queued"  # i18n: internal
    return {"projects": len(project_ids), "people": len(user_ids)}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"  # i18n: internal
