"""The worker queues the owed-work sweep itself: at once on (re)connecting, then on a timer."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, bootsteps

from app import task_catalog as catalog

log = logging.getLogger(__name__)
SWEEP_TASK = catalog.SWEEP_OWED_WORK.name


class OwedWorkSweep(bootsteps.StartStopStep):
    """Beat's minutely sweep is not enough: with beat down (or its schedule in a Redis that
    restarted empty) owed work would wait for a person. Each worker therefore queues the sweep
    every DELIVERY_SWEEP_SECONDS, and at once when it connects to the broker, which is the
    moment a broker that lost its queues comes back. The sweep locks the rows it takes, so
    several workers sweeping at once split the work; an unused sweep message expires."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        flask_app = getattr(parent.app, "flask_app", None)
        config = flask_app.config if flask_app is not None else {}
        self.interval = float(config.get("DELIVERY_SWEEP_SECONDS") or 0)
        self.timer_ref: Any = None

    def start(self, parent: Any) -> None:
        if self.interval <= 0:
            return
        self.queue_sweep(parent.app)
        self.timer_ref = parent.timer.call_repeatedly(
            self.interval, self.queue_sweep, (parent.app,), priority=10
        )

    def stop(self, parent: Any) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None

    shutdown = stop

    def queue_sweep(self, app: Celery) -> None:
        try:
            app.send_task(SWEEP_TASK, retry=False, expires=self.interval * 2)
        except Exception as error:  # the broker is away: the next tick (or reconnect) tries
            log.warning("could not queue the owed-work sweep: %s", type(error).__name__)


def add_sweep_step(celery_app: Celery) -> None:
    celery_app.steps["consumer"].add(OwedWorkSweep)
