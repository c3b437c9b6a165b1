"""The harness's own table clearing: a session that never lets go of a lock fails the test
that left it, naming the session, instead of hanging the whole run; and clearing empties every
table without sending ids back to 1."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, text

from app.accounts.models import User
from app.extensions import db
from tests.conftest import clear_retrying_deadlocks, clear_tables


def test_clearing_tables_held_by_another_session_fails_naming_it(app: Flask, make) -> None:  # noqa: ANN001
    make.user(email="held@example.com")
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("lock timeouts are PostgreSQL's")
        with db.engine.connect() as holder:
            holder.execute(text("SELECT id FROM users FOR UPDATE /* left open by a failed test */"))
            with pytest.raises(AssertionError) as refused:
                clear_retrying_deadlocks([User.__table__.delete()], lock_timeout="200ms")
            holder.rollback()
    assert "waited 200ms for locks held by" in str(refused.value)
    assert "left open by a failed test" in str(refused.value)


def test_clearing_empties_every_table_and_ids_keep_counting(app: Flask, make) -> None:  # noqa: ANN001
    owner = make.user(email="first@example.com")
    make.project(owner)
    clear_tables(app)
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        assert {name: count for name, count in counts.items() if count} == {}
    assert make.user(email="second@example.com") > owner
