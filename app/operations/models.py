"""Operations data: schedule edits made on the Jobs page, every task run, and beat's heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow
from app.core.models import PendingJob

__all__ = ["BeatTick", "PendingJob", "ScheduleSetting", "TaskRun"]


class ScheduleSetting(Base):
    """An admin's edit of one periodic job: a crontab that replaces config's, or a pause."""

    __tablename__ = "schedule_settings"

    job: Mapped[str] = mapped_column(String(128), primary_key=True)
    crontab: Mapped[str | None] = mapped_column(String(128))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class TaskRun(Base):
    """One Celery task, by its id, as the worker's signals reported it: the one record of a run.

    `arguments` is the redacted copy every page shows; `raw_arguments` holds the real ones and
    is read only by the Retry action, which must send the task exactly as it was. A scheduled
    job adds its own `summary` of what it did (app/operations/job_runs.py), and a run left
    "started" by a lost worker or database ends as "interrupted" (the sweep).
    """

    __tablename__ = "task_runs"
    __table_args__ = (
        Index("ix_task_runs_state_created", "state", "created_at"),
        Index("ix_task_runs_created", "created_at"),
        # The Jobs page's "Last run": the newest started run of each scheduled task.
        Index("ix_task_runs_name_started", "name", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    celery_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    arguments: Mapped[dict | None] = mapped_column(JSON)
    raw_arguments: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    runtime_ms: Mapped[int | None] = mapped_column(Integer)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)


class BeatTick(Base):
    """The last time each beat process woke up; /readyz reads the newest."""

    __tablename__ = "beat_ticks"

    node: Mapped[str] = mapped_column(String(200), primary_key=True)
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
