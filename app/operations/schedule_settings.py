"""Schedule edits stored in the database: which crontab each job runs on, which are paused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from app.core.database import DbSession, utcnow
from app.operations.models import BeatTick, ScheduleSetting
from app.schedule import PERIODIC_JOBS, build_beat_schedule, parse_crontab


def settings_by_job(session: DbSession) -> dict[str, ScheduleSetting]:
    return {row.job: row for row in session.scalars(select(ScheduleSetting))}


def settings_stamp(session: DbSession) -> tuple[datetime | None, int]:
    """Changes when any edit is made: beat compares it to decide whether to rebuild."""
    latest, count = session.execute(
        select(func.max(ScheduleSetting.updated_at), func.count(ScheduleSetting.job))
    ).one()
    return latest, count


def merged_overrides(
    config_overrides: dict[str, str], settings: dict[str, ScheduleSetting]
) -> dict[str, str]:
    """Crontab per job: an edit in the database wins over SCHEDULE_<JOB>, which wins over code."""
    merged = dict(config_overrides)
    merged.update({job: row.crontab for job, row in settings.items() if row.crontab})
    return merged


def beat_schedule(
    config_overrides: dict[str, str], settings: dict[str, ScheduleSetting]
) -> dict[str, dict[str, Any]]:
    """The beat schedule with the database's edits applied and paused jobs left out."""
    known = {job.name for job in PERIODIC_JOBS}
    edits = {job: row for job, row in settings.items() if job in known}
    schedule = build_beat_schedule(merged_overrides(config_overrides, edits))
    return {name: entry for name, entry in schedule.items() if not _paused(edits.get(name))}


def last_run_after_edit(last_run_at: datetime | None, edited_at: datetime | None) -> datetime:
    """The last run beat should count from once a job was edited at `edited_at`.

    Beat finds a job's next run from its last run under the current crontab; a run the new
    crontab would have made before the edit counts as missed and runs at once. An edit changes
    the next run only, so no run is owed from before it."""
    candidates = [moment for moment in (last_run_at, edited_at) if moment is not None]
    if not candidates:
        raise ValueError("give a last run or an edit time")  # i18n: internal
    return max(candidates)


def _paused(row: ScheduleSetting | None) -> bool:
    return bool(row and row.paused)


def _setting(session: DbSession, job: str) -> ScheduleSetting:
    row = session.get(ScheduleSetting, job)
    if row is None:
        row = ScheduleSetting(job=job, paused=False)
        session.add(row)
    return row


def set_crontab(session: DbSession, job: str, expression: str | None, user_id: int | None) -> None:
    """Store a job's crontab (None: back to config's); raises ValueError for a bad crontab."""
    if expression is not None:
        expression = " ".join(expression.split())
        parse_crontab(expression)
    row = _setting(session, job)
    row.crontab = expression or None
    row.updated_by_id = user_id
    row.updated_at = utcnow()


def set_paused(session: DbSession, job: str, paused: bool, user_id: int | None) -> None:
    row = _setting(session, job)
    row.paused = paused
    row.updated_by_id = user_id
    row.updated_at = utcnow()


def record_beat_tick(connection: Connection, node: str, now: datetime) -> None:
    """One row per beat process, updated in place on every tick."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(BeatTick).values(node=node, ticked_at=now)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["node"], set_={"ticked_at": now})
    )


def last_beat_tick(session: DbSession) -> datetime | None:
    """When any beat last woke up; None if no beat ever ran against this database."""
    return session.scalar(select(func.max(BeatTick.ticked_at)))
