"""Recurring-task jobs: make due occurrences, change a template, archive old occurrences."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from flask import current_app
from flask_babel import gettext, ngettext

from app import task_catalog as catalog
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.operations.job_runs import recorded_run
from app.recurring import occurrences as recurring_occurrences
from app.recurring import service as recurring
from app.recurring.models import RecurringSeries
from app.tasklist import cleanup

log = logging.getLogger(__name__)


@shared_task(bind=True, name=catalog.PROCESS_RECURRING_TASKS.name)
def process_recurring_tasks(self: Task) -> dict[str, int | list[int]]:
    """Create every occurrence due within RECURRING_CREATE_AHEAD_HOURS, each exactly once.

    Missed occurrences (beat was down) are created too; a second run of the same slot finds
    the unique key already taken and creates nothing."""
    config = current_app.config
    with recorded_run(db.session, self.name, self.request.id) as note:
        result = recurring_occurrences.create_due(
            db.session,
            utcnow(),
            timedelta(hours=config["RECURRING_CREATE_AHEAD_HOURS"]),
            config["RECURRING_MAX_CATCH_UP"],
        )
        db.session.commit()
        # Written by the worker, in the default language, like every job's summary.
        note.summary = gettext(
            "created %(tasks)s from %(series)s",
            tasks=ngettext("%(num)d task", "%(num)d tasks", len(result.created)),
            series=ngettext("%(num)d series", "%(num)d series", result.series_checked),
        )
        if result.stopped:
            note.summary += "; " + ngettext(
                "stopped %(num)d series whose rule never gives a date",
                "stopped %(num)d series whose rules never give a date",
                len(result.stopped),
            )
    return {
        "created": len(result.created),
        "series": result.series_checked,
        "task_ids": result.created,
        "stopped": sorted(result.stopped),
    }


@shared_task(name=catalog.UPDATE_RECURRING_TASK_TEMPLATE.name)
def update_recurring_task_template(series_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a series' template (title, description, priority, assignee_id, rule, starts_at).

    Future occurrences follow; past ones keep what they were. A bad value fails the job with
    its reason and changes nothing."""
    series = db.session.get(RecurringSeries, int(series_id))
    if series is None:
        log.warning("update_recurring_task_template: series %s is gone", series_id)
        return {"series_id": series_id, "missing": True}
    fields = recurring.template_with_changes(series, changes)
    try:
        updated = recurring.update_template(db.session, series, fields, utcnow())
    except RuleViolation:
        db.session.rollback()
        raise
    db.session.commit()
    return {"series_id": series.id, "updated_occurrences": updated}


@shared_task(bind=True, name=catalog.CLEANUP_COMPLETED_RECURRING_INSTANCES.name)
def cleanup_completed_recurring_instances(self: Task) -> dict[str, int]:
    """Archive occurrences completed more than RECURRING_ARCHIVE_AFTER_DAYS ago."""
    now = utcnow()
    with recorded_run(db.session, self.name, self.request.id) as note:
        archived = cleanup.archive_completed(
            db.session, now, current_app.config["RECURRING_ARCHIVE_AFTER_DAYS"], only_recurring=True
        )
        db.session.commit()
        note.summary = ngettext(
            "archived %(num)d occurrence", "archived %(num)d occurrences", archived
        )
    return {"archived": archived}
