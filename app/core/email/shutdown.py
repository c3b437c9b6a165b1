"""Termination signals wait for the email on the wire: a worker told to stop mid-batch stops
between two emails, never between the server's 250 and the mark that records it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# SIGTERM, and SIGQUIT: Celery's cold shutdown cancels a job by sending its pool process the
# terminate signal, which is SIGQUIT when the worker runs with REMAP_SIGTERM=SIGQUIT.
TERMINATION_SIGNALS = (signal.SIGTERM, signal.SIGQUIT)


class DeferredTermination:
    """Holds a termination signal that arrives mid-send until `checkpoint()`."""

    def __init__(self) -> None:
        self.pending: tuple[int, Any] | None = None  # (signal number, the handler it had)
        self.previous: dict[int, Any] = {}

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.pending = (signum, self.previous.get(signum))

    def checkpoint(self) -> None:
        """Between two emails: if a termination signal came, act on it now, as it would have."""
        if self.pending is None:
            return
        signum, handler = self.pending
        self.pending = None
        self.restore()
        if callable(handler):
            handler(signum, None)  # billiard's handler: SystemExit, and the job is requeued
        elif handler != signal.SIG_IGN:
            signal.raise_signal(signum)

    def restore(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous.clear()


@contextmanager
def termination_deferred() -> Iterator[DeferredTermination]:
    """Within the block a termination signal waits for the next `checkpoint()`. Only the main
    thread can handle signals; elsewhere (a worker thread in tests) nothing changes."""
    deferred = DeferredTermination()
    if threading.current_thread() is threading.main_thread():
        for signum in TERMINATION_SIGNALS:
            deferred.previous[signum] = signal.signal(signum, deferred._hold)
    try:
        yield deferred
    finally:
        deferred.checkpoint()  # a signal held over the last email is acted on now
        deferred.restore()
