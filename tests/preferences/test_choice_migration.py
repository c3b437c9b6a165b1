"""Migration 0021 carries every choice from email_preferences and notification_preferences into
email_choices, and downgrade gives them back, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime

import flask_migrate
from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    column,
    insert,
    inspect,
    select,
    table,
    update,
)

from app import create_app
from app.core.database import UTCDateTime
from app.extensions import db
from tests.conftest import MIGRATIONS, postgres_database
from tests.services_available import postgres_available, require

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def stamps() -> tuple:
    return column("created_at", UTCDateTime()), column("updated_at", UTCDateTime())


USERS = table(
    "users",
    column("id", Integer),
    column("email", String),
    column("name", String),
    column("password_hash", String),
    column("timezone", String),
    column("is_admin", Boolean),
    column("is_active", Boolean),
    *stamps(),
)
USER_SETTINGS = table(
    "users",
    column("id", Integer),
    column("digest_workdays_only", Boolean),
    column("deadline_alerts_per_task", Boolean),
    column("digests_paused_until", Date),
)
PAUSE = date(2026, 12, 24)
# (id, workdays only, per-task alerts, paused until)
OLD_SETTINGS = [(1, True, False, PAUSE), (2, False, True, None)]
EMAIL_PREFERENCES = table(
    "email_preferences",
    column("user_id", Integer),
    column("kind", String),
    column("enabled", Boolean),
    *stamps(),
)
NOTIFICATION_PREFERENCES = table(
    "notification_preferences",
    column("user_id", Integer),
    column("kind", String),
    column("email", Boolean),
    column("in_app", Boolean),
    *stamps(),
)
EMAIL_CHOICES = table(
    "email_choices",
    column("user_id", Integer),
    column("kind", String),
    column("channel", String),
    column("project_id", Integer),
    column("enabled", Boolean),
    column("until", Date),
)
OLD_DIGESTS = [
    (1, "weekly_summary", False),
    (1, "task_reminder", True),
    (2, "overdue_alert", False),
]
OLD_EVENTS = [
    (1, "assigned", False, True),
    (1, "commented", True, False),
    (2, "reminder", False, False),
    (2, "mentioned", True, True),
]


def stamped(**values: object) -> dict:
    return {**values, "created_at": T0, "updated_at": T0}


def check_choices_carry_over_and_back(url: str) -> None:
    app = create_app({"TICKLER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0020")
        with db.engine.begin() as connection:
            connection.execute(
                insert(USERS),
                [
                    stamped(
                        id=n,
                        email=f"u{n}@example.com",
                        name=f"U{n}",
                        password_hash="x",
                        timezone="UTC",
                        is_admin=False,
                        is_active=True,
                    )
                    for n in (1, 2)
                ],
            )
            for user_id, workdays, per_task, paused in OLD_SETTINGS:
                connection.execute(
                    update(USER_SETTINGS)
                    .where(USER_SETTINGS.c.id == user_id)
                    .values(
                        digest_workdays_only=workdays,
                        deadline_alerts_per_task=per_task,
                        digests_paused_until=paused,
                    )
                )
            connection.execute(
                insert(EMAIL_PREFERENCES),
                [stamped(user_id=u, kind=k, enabled=on) for u, k, on in OLD_DIGESTS],
            )
            connection.execute(
                insert(NOTIFICATION_PREFERENCES),
                [stamped(user_id=u, kind=k, email=e, in_app=a) for u, k, e, a in OLD_EVENTS],
            )
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0021")
        with db.engine.connect() as connection:
            rows = set(connection.execute(select(EMAIL_CHOICES)).all())
            tables = set(inspect(connection).get_table_names())
            user_columns = {c["name"] for c in inspect(connection).get_columns("users")}
        assert {"digest_workdays_only", "deadline_alerts_per_task", "digests_paused_until"} & (
            user_columns
        ) == set(), "the settings left users for email_choices"
        assert {"email_preferences", "notification_preferences"} & tables == set()
        assert rows == {
            (1, "weekly_summary", "email", None, False, None),
            (1, "task_reminder", "email", None, True, None),
            (2, "overdue_alert", "email", None, False, None),
            (1, "assigned", "email", None, False, None),
            (1, "commented", "in_app", None, False, None),
            (2, "reminder", "email", None, False, None),
            (2, "reminder", "in_app", None, False, None),
            (1, "workdays_only", "email", None, True, None),
            (1, "all_digests", "email", None, False, PAUSE),
            (2, "deadline_alerts_per_task", "email", None, True, None),
        }, "each channel turned off becomes a row; one left on needs none"
        flask_migrate.downgrade(directory=MIGRATIONS, revision="0020")
        with db.engine.connect() as connection:
            digests = set(
                connection.execute(
                    select(
                        EMAIL_PREFERENCES.c.user_id,
                        EMAIL_PREFERENCES.c.kind,
                        EMAIL_PREFERENCES.c.enabled,
                    )
                ).all()
            )
            events = set(
                connection.execute(
                    select(
                        NOTIFICATION_PREFERENCES.c.user_id,
                        NOTIFICATION_PREFERENCES.c.kind,
                        NOTIFICATION_PREFERENCES.c.email,
                        NOTIFICATION_PREFERENCES.c.in_app,
                    )
                ).all()
            )
            settings = set(connection.execute(select(USER_SETTINGS)).all())
            assert "email_choices" not in inspect(connection).get_table_names()
        assert settings == set(OLD_SETTINGS)
        assert digests == set(OLD_DIGESTS)
        # A kind whose channels were both on had no row to carry; it comes back as no row.
        assert events == {e for e in OLD_EVENTS if not (e[2] and e[3])}
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_choices_carry_over_and_back_on_sqlite(tmp_path):
    check_choices_carry_over_and_back(f"sqlite:///{tmp_path / 'choices.db'}")


def test_choices_carry_over_and_back_on_postgresql():
    require(
        postgres_available() or bool(os.environ.get("TEST_DATABASE_URL")),
        "PostgreSQL is not reachable at 127.0.0.1:5432",
    )
    with postgres_database(f"tickler_choices_{uuid.uuid4().hex[:8]}") as url:
        check_choices_carry_over_and_back(url)
