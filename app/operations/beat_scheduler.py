"""Beat's scheduler: the schedule from code and config, with the Jobs page's edits on top.

`celery -A celery_worker beat` uses it (config sets beat_scheduler). Every
BEAT_SCHEDULE_REFRESH_SECONDS it records a tick and re-reads schedule_settings; when an edit
was made since the last read it rebuilds its entries, so no restart is needed.
"""

from __future__ import annotations

import logging
import socket
import time
from datetime import datetime
from typing import Any

from celery.beat import PersistentScheduler
from flask import Flask

from app.core.database import utcnow
from app.extensions import FlaskCelery, db
from app.operations import schedule_settings

log = logging.getLogger(__name__)


class DatabaseScheduler(PersistentScheduler):
    """PersistentScheduler whose entries follow the schedule_settings table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._stamp: Any = None
        self._next_refresh = 0.0
        # One row per machine: restarts update it instead of adding rows.
        self._node = f"beat@{socket.gethostname()}"
        super().__init__(*args, **kwargs)

    @property
    def flask_app(self) -> Flask:
        if not isinstance(self.app, FlaskCelery):
            raise TypeError("beat's Celery app must come from celery_init_app")
        return self.app.flask_app

    @property
    def refresh_seconds(self) -> float:
        return float(self.flask_app.config.get("BEAT_SCHEDULE_REFRESH_SECONDS", 30))

    def setup_schedule(self) -> None:
        super().setup_schedule()
        self.refresh(force=True)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if time.monotonic() >= self._next_refresh:
            self.refresh()
        interval = super().tick(*args, **kwargs)
        return min(interval, max(0.1, self._next_refresh - time.monotonic()))

    def refresh(self, force: bool = False) -> None:
        """Record a tick; rebuild the entries if the table changed since the last look."""
        self._next_refresh = time.monotonic() + self.refresh_seconds
        try:
            with self.flask_app.app_context():
                with db.engine.begin() as connection:
                    schedule_settings.record_beat_tick(connection, self._node, utcnow())
                stamp = schedule_settings.settings_stamp(db.session)
                if not force and stamp == self._stamp:
                    return
                settings = schedule_settings.settings_by_job(db.session)
                wanted = schedule_settings.beat_schedule(
                    self.flask_app.config.get("CELERY_SCHEDULE_OVERRIDES") or {}, settings
                )
                paused = sorted(job for job, row in settings.items() if row.paused)
                edited = {job: row.updated_at for job, row in settings.items()}
                db.session.remove()
        except Exception as error:  # the database may be down; keep the schedule we have
            log.warning("beat: schedule not refreshed (%s: %s)", type(error).__name__, error)
            return
        self._stamp = stamp
        # Celery merges a beat_schedule-style dict of dicts; celery-types asks for entries.
        self.merge_inplace(wanted)  # type: ignore[arg-type]
        self.install_default_entries(self.schedule)
        self.count_from_edits(edited)
        self._heap = None  # rebuilt on the next tick with the new times
        log.info(
            "beat: schedule loaded, %d jobs, paused: %s",
            len(wanted),
            ", ".join(paused) or "none",
        )
        for name in sorted(wanted):
            log.debug("beat: %s runs on %s", name, wanted[name]["schedule"])

    def count_from_edits(self, edited: dict[str, datetime]) -> None:
        """Edited jobs count their next run from the edit (or a later run), so saving a
        crontab or resuming a job never runs it at once, off schedule."""
        for name, edited_at in edited.items():
            entry = self.schedule.get(name)
            if entry is None or entry.schedule is None:
                continue
            last = entry.last_run_at and entry.schedule.maybe_make_aware(entry.last_run_at)
            entry.last_run_at = schedule_settings.last_run_after_edit(last, edited_at)
