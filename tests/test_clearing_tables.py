"""The harness's own table clearing: a session that never lets go of a lock fails the test
that left it, naming the session, instead of hanging the whole run."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from tests.conftest import truncate_retrying_deadlocks


def test_clearing_tables_held_by_another_session_fails_naming_it(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("TRUNCATE's table locks are PostgreSQL's")
        with db.engine.connect() as holder:
            holder.execute(text("SELECT count(*) FROM users /* left open by a failed test */"))
            with pytest.raises(AssertionError) as refused:
                truncate_retrying_deadlocks(text("TRUNCATE users CASCADE"), lock_timeout="200ms")
            holder.rollback()
    assert "waited 200ms for locks held by" in str(refused.value)
    assert "left open by a failed test" in str(refused.value)
