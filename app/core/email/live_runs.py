"""Which sending runs are alive, asked of PostgreSQL rather than of a clock.

A run that claims ledger rows first takes a session-level advisory lock named by its claim
token (the job's id) and holds it, on a connection of its own, until it has settled. The lock
goes with the run: a process killed by SIGKILL or the OOM killer drops its connection and
PostgreSQL frees the lock at once; a live run keeps it however slow it is.

Why: the broker may hand out a job that is still running (Redis restores an unacknowledged
message after its visibility timeout), so a second execution can carry the same token as the
first. The token alone cannot tell a redelivery after a death from a copy running alongside a
live run; the lock can. Likewise the sweep and the claim only take over another run's claim
when its lease has run out *and* its lock is free.

On other databases (SQLite in development) there is no lock and every run counts as alone."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import ColumnElement, column, exists, false, func, select, table, text
from sqlalchemy.dialects.postgresql import OID
from sqlalchemy.engine import Engine
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import cast

log = logging.getLogger(__name__)

# The first key of the two-key advisory lock: ledger claim tokens, apart from any other use.
NAMESPACE = 16_016

_PG_LOCKS = table(
    "pg_locks",
    column("locktype"),
    column("database"),
    column("classid"),
    column("objid"),
    column("objsubid"),
    column("granted"),
)


@contextmanager
def run_held(engine: Engine, token: str) -> Iterator[bool]:
    """Hold `token`'s lock for the block; yields False when a live run already holds it (this
    execution is a copy of a running job and must send nothing)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    connection = engine.connect()
    held = False
    try:
        held = bool(
            connection.execute(
                select(func.pg_try_advisory_lock(NAMESPACE, func.hashtext(token)))
            ).scalar()
        )
        connection.commit()
        yield held
    finally:
        _let_go(connection, token, held)


def _let_go(connection, token: str, held: bool) -> None:  # noqa: ANN001 (a Connection)
    """Unlock and hand the connection back; a connection that broke meanwhile (the database
    was cut) is thrown away, which frees the lock on the server's side too."""
    try:
        if held:
            connection.execute(select(func.pg_advisory_unlock(NAMESPACE, func.hashtext(token))))
            connection.commit()
    except Exception as error:
        log.warning("could not let go of run %s's lock: %s", token, type(error).__name__)
        connection.invalidate()
    finally:
        connection.close()


def holder_alive(
    dialect_name: str, token: ColumnElement | InstrumentedAttribute
) -> ColumnElement[bool]:
    """SQL: the run named by `token` (a claim's `claimed_by`) holds its lock, so is alive."""
    if dialect_name != "postgresql":
        return false()
    return exists(
        select(1)
        .select_from(_PG_LOCKS)
        .where(
            _PG_LOCKS.c.locktype == "advisory",
            _PG_LOCKS.c.granted.is_(True),
            _PG_LOCKS.c.database
            == text("(SELECT oid FROM pg_database WHERE datname = current_database())"),
            _PG_LOCKS.c.classid == cast(NAMESPACE, OID),
            _PG_LOCKS.c.objid == cast(func.hashtext(token), OID),
            _PG_LOCKS.c.objsubid == 2,
        )
    )
