"""A sender's heartbeat: while it works, its ledger claims are renewed from a thread of its own."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.core.database import utcnow
from app.core.email import ledger

log = logging.getLogger(__name__)


@contextmanager
def lease_kept(engine: Engine, token: str, lease: timedelta) -> Iterator[None]:
    """Renew `token`'s claims every third of `lease` until the block ends.

    A thread, not a check between emails: one message may wait MAIL_DATA_TIMEOUT for its
    answer, longer than a lease, and a live sender must not look dead meanwhile. A process
    that dies (SIGKILL, OOM, power) stops beating, and its rows are owed again within `lease`."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            try:
                with Session(engine) as session:
                    ledger.extend_lease(session, token, utcnow(), lease)
                    session.commit()
            except Exception as error:  # the next beat tries again; the lease is 3 beats long
                log.warning("could not renew the claims' lease: %s", type(error).__name__)

    thread = threading.Thread(target=beat, name="ledger-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
