"""The same migrations build the same schema on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta, timezone

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from app.tasklist.models import Task
from tests.conftest import MIGRATIONS, postgres_database
from tests.services_available import postgres_available, require


def upgraded_app(url: str):
    app = create_app({"TICKLER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
    return app


def assert_schema_matches_models(app) -> None:
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        tables = set(inspect(connection).get_table_names())
    assert differences == [], "models and migrations disagree; run `flask db migrate`"
    assert {"users", "projects", "project_members", "tasks"} <= tables


def assert_downgrade_and_upgrade_again(app) -> None:
    with app.app_context():
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_migrations_on_sqlite(tmp_path):
    app = upgraded_app(f"sqlite:///{tmp_path / 'migrated.db'}")
    assert_schema_matches_models(app)
    assert_downgrade_and_upgrade_again(app)


def test_migrations_on_postgresql():
    require(
        postgres_available() or bool(os.environ.get("TEST_DATABASE_URL")),
        "PostgreSQL is not reachable at 127.0.0.1:5432",
    )
    with postgres_database(f"tickler_migrations_{uuid.uuid4().hex[:8]}") as url:
        app = upgraded_app(url)
        assert_schema_matches_models(app)
        assert_downgrade_and_upgrade_again(app)


def test_due_dates_come_back_timezone_aware_from_every_database(app, make):
    owner = make.user()
    due = datetime(2026, 3, 29, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    task = make.task(make.project(owner), owner, due_at=due)
    stored = make.get(Task, task).due_at
    assert stored == due
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_naive_datetimes_are_refused_rather_than_guessed(app, make):
    owner = make.user()
    with pytest.raises(Exception, match="naive datetime"):
        make.task(make.project(owner), owner, due_at=datetime(2026, 1, 1, 9, 0))
