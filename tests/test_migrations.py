"""The same migrations build the same schema on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta, timezone

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Integer, String, Table, Text, column, insert, inspect, select, table

from app import create_app
from app.core.database import UTCDateTime
from app.extensions import db
from app.search.schema import include_object
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
        # As migrations/env.py compares: search's schema outside the models is left out.
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        differences = compare_metadata(context, db.metadata)
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


T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
JOB = "app.tasks.task_management.send_task_reminders"


def old_job_runs() -> Table:
    return table(
        "job_runs",
        column("id", Integer),
        column("job", String),
        column("celery_id", String),
        column("started_at", UTCDateTime()),
        column("finished_at", UTCDateTime()),
        column("outcome", String),
        column("summary", Text),
    )


def task_runs_table(*extra: str) -> Table:
    return table(
        "task_runs",
        column("celery_id", String),
        column("name", String),
        column("state", String),
        column("created_at", UTCDateTime()),
        column("started_at", UTCDateTime()),
        column("finished_at", UTCDateTime()),
        column("retries", Integer),
        column("error", Text),
        *(column(name, Text) for name in extra),
    )


def check_job_runs_fold_into_task_runs_and_back(url: str) -> None:
    app = create_app({"TICKLER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    later = T0 + timedelta(minutes=1)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0019")
        with db.engine.begin() as connection:
            connection.execute(
                insert(task_runs_table()),
                [
                    dict(
                        celery_id=cid,
                        name=JOB,
                        state=state,
                        created_at=T0,
                        started_at=T0,
                        finished_at=None if state == "started" else later,
                        retries=0,
                        error=None,
                    )
                    for cid, state in (("ran", "succeeded"), ("lost", "started"))
                ],
            )
            connection.execute(
                insert(old_job_runs()),
                [
                    dict(
                        id=1,
                        job=JOB,
                        celery_id="ran",
                        started_at=T0,
                        finished_at=later,
                        outcome="succeeded",
                        summary="2 recipients in 1 chunk",
                    ),
                    dict(
                        id=2,
                        job=JOB,
                        celery_id="lost",
                        started_at=T0,
                        finished_at=later,
                        outcome="interrupted",
                        summary="went away",
                    ),
                    dict(
                        id=3,
                        job=JOB,
                        celery_id=None,
                        started_at=T0,
                        finished_at=later,
                        outcome="failed",
                        summary="OperationalError: gone",
                    ),
                ],
            )
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0020")
        with db.engine.connect() as connection:
            runs = task_runs_table("summary")
            rows = connection.execute(
                select(runs.c.celery_id, runs.c.state, runs.c.summary, runs.c.error)
            ).all()
            assert "job_runs" not in inspect(connection).get_table_names()
        assert sorted(rows) == [
            ("job-run-3", "failed", "OperationalError: gone", "OperationalError: gone"),
            ("lost", "interrupted", "went away", None),
            ("ran", "succeeded", "2 recipients in 1 chunk", None),
        ]
        flask_migrate.downgrade(directory=MIGRATIONS, revision="0019")
        with db.engine.connect() as connection:
            jobs = old_job_runs()
            back = connection.execute(
                select(jobs.c.celery_id, jobs.c.outcome, jobs.c.summary, jobs.c.started_at)
            ).all()
            runs = task_runs_table()
            left = connection.execute(select(runs.c.celery_id, runs.c.state)).all()
        assert sorted(back, key=str) == sorted(
            [
                (None, "failed", "OperationalError: gone", T0),
                ("lost", "interrupted", "went away", T0),
                ("ran", "succeeded", "2 recipients in 1 chunk", T0),
            ],
            key=str,
        )
        assert sorted(left) == [("lost", "started"), ("ran", "succeeded")]
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_job_runs_fold_into_task_runs_and_back_on_sqlite(tmp_path):
    check_job_runs_fold_into_task_runs_and_back(f"sqlite:///{tmp_path / 'fold.db'}")


def test_job_runs_fold_into_task_runs_and_back_on_postgresql():
    require(
        postgres_available() or bool(os.environ.get("TEST_DATABASE_URL")),
        "PostgreSQL is not reachable at 127.0.0.1:5432",
    )
    with postgres_database(f"tickler_fold_{uuid.uuid4().hex[:8]}") as url:
        check_job_runs_fold_into_task_runs_and_back(url)
