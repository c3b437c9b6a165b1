"""Search runs on both databases: each page test runs on PostgreSQL (the session's database,
when it is PostgreSQL) and on a SQLite database of this module, both built by the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.comments.models import Comment
from app.extensions import db, limiter
from app.labels.models import Label, task_labels
from tests.conftest import (
    DEFAULT_PASSWORD,
    MIGRATIONS,
    Factory,
    app_settings,
    clear_tables,
    current_celery_apps,
    restore_celery_apps,
)


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory, celery_settings: dict) -> Iterator[Flask]:
    """An app on a SQLite file migrated to head: FTS5 tables and their triggers included."""
    saved_celery, saved_limiter = current_celery_apps(), (limiter._storage, limiter._limiter)
    database = tmp_path_factory.mktemp("search-sqlite") / "search.db"
    app = create_app(app_settings(f"sqlite:///{database}", celery_settings))
    restore_celery_apps(saved_celery)
    limiter._storage, limiter._limiter = saved_limiter
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
    app.config.update(WTF_CSRF_ENABLED=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def engine_app(request: pytest.FixtureRequest, app: Flask, sqlite_app: Flask) -> Iterator[Flask]:
    """The app on the database named by the parameter, with empty tables."""
    if request.param == "sqlite":
        chosen = sqlite_app
        with chosen.app_context():
            limiter.reset()
    else:
        with app.app_context():
            if db.engine.dialect.name != "postgresql":
                pytest.skip("the session's database is not PostgreSQL")
        chosen = app
    yield chosen
    if chosen is sqlite_app:
        clear_tables(sqlite_app)


class SearchWorld(Factory):
    """The factory, plus comments, labels and a logged-in client."""

    def comment(self, task_id: int, author_id: int, body: str) -> int:
        with self.app.app_context():
            comment = Comment(task_id=task_id, author_id=author_id, body=body)
            db.session.add(comment)
            db.session.commit()
            return comment.id

    def label(self, project_id: int, name: str, *task_ids: int, color: str = "#3b6ea8") -> int:
        with self.app.app_context():
            label = Label(project_id=project_id, name=name, color=color)
            db.session.add(label)
            db.session.flush()
            for task_id in task_ids:
                db.session.execute(task_labels.insert().values(task_id=task_id, label_id=label.id))
            db.session.commit()
            return label.id

    def update(self, model: type, row_id: int, **values: Any) -> None:
        with self.app.app_context():
            row = db.session.get(model, row_id)
            for name, value in values.items():
                setattr(row, name, value)
            db.session.commit()

    def delete(self, model: type, row_id: int) -> None:
        with self.app.app_context():
            db.session.delete(db.session.get(model, row_id))
            db.session.commit()

    def client_for(self, email: str) -> FlaskClient:
        client = self.app.test_client()
        response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, "logged in"
        return client


@pytest.fixture
def world(engine_app: Flask) -> SearchWorld:
    return SearchWorld(engine_app)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
