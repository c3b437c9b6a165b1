"""Every email rendered once for the whole run, by an app that needs no services."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from app.extensions import limiter
from tests.conftest import app_settings, current_celery_apps, restore_celery_apps
from tests.email_quality.every_email import SentEmail, every_email

RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "email_quality"


@pytest.fixture(scope="session")
def sent_emails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SentEmail]:
    database = tmp_path_factory.mktemp("email-quality") / "unused.db"
    # A session fixture is built before the per-test guards look, so it puts back itself what
    # create_app replaces: the current Celery app (later jobs would run on this empty SQLite
    # database) and the limiter's storage.
    apps, storage = current_celery_apps(), (limiter._storage, limiter._limiter)
    try:
        app = create_app(app_settings(f"sqlite:///{database}", {"broker_url": "memory://"}))
        emails = every_email(app)
    finally:
        restore_celery_apps(apps)
        limiter._storage, limiter._limiter = storage
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, email in emails.items():
        (RESULTS / f"{name}.eml").write_bytes(email.raw)
        (RESULTS / f"{name}.html").write_text(email.html)
    return emails
