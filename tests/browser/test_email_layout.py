"""Account, export and escalation emails fit a 375 px phone screen: no sideways scrolling,
even with a long link (the pasted-link fallback wraps) and a long name and address."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.accounts import tokens
from app.accounts.emails import compose_account_email
from app.accounts.models import User
from app.core.email.render import RenderedEmail
from app.exports.emails import compose_export_ready
from app.exports.models import Export, ExportFormat, ExportStatus
from app.notifications.emails import compose_escalation
from app.projects.models import Project
from app.tasklist.models import Task, TaskStatus

PHONE = 375
# A real deployment's address is longer than the tests' http://localhost.
LONG_BASE_URL = "https://tickler.tasks.example-company-with-a-long-name.com/apps/tickler"
ACCOUNT_PURPOSES = [
    tokens.PASSWORD_RESET,
    tokens.EMAIL_VERIFICATION,
    tokens.ALREADY_REGISTERED,
    tokens.PASSWORD_CHANGED,
    tokens.ADDRESS_RESUME,
]


def someone() -> User:
    # Not stored: the emails read only these fields (and the id the token signs).
    return User(
        id=4242,
        name="Maximiliane Wolkenkratzer-Unterberg",
        email="maximiliane.wolkenkratzer-unterberg@subdomain.example-company.com",
        timezone="Europe/Berlin",
        password_hash="scrypt:not-a-real-hash",
    )


def rendered(app: Any, kind: str) -> RenderedEmail:
    with app.test_request_context("/"):
        if kind == "escalation":
            overdue = Task(
                id=31337,
                title="Renew the certificate for the customer portal before it runs out",
                status=TaskStatus.IN_PROGRESS,
                project=Project(id=7, name="Operations and infrastructure upkeep"),
                assignee=User(id=5, name="Bartholomew Longname-Smythe", email="b@example.com"),
                due_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
            )
            event = f"“{overdue.title}” was due 5 days ago and is still open"
            now = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)
            return compose_escalation(someone(), overdue, [event], now).content
        if kind == "export-ready":
            export = Export(
                id=987654,
                user_id=4242,
                project_id=None,
                format=ExportFormat.XLSX,
                status=ExportStatus.DONE,
                rows_written=12_345,
                finished_at=datetime(2026, 12, 6, 16, 0, tzinfo=UTC),
                expires_at=datetime(2026, 12, 7, 16, 0, tzinfo=UTC),
            )
            return compose_export_ready(export, someone()).content
        return compose_account_email(kind, someone()).content


@pytest.mark.parametrize("kind", [*ACCOUNT_PURPOSES, "export-ready", "escalation"])
def test_each_email_fits_a_phone_screen(app, browser, kind, monkeypatch):
    monkeypatch.setitem(app.config, "APP_BASE_URL", LONG_BASE_URL)
    html = rendered(app, kind).html
    context = browser.new_context(viewport={"width": PHONE, "height": 900}, is_mobile=True)
    try:
        page = context.new_page()
        page.set_content(html)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE, f"{kind} is {width} px wide on a {PHONE} px screen"
        # The action is a button, not a bare link in the text.
        assert page.locator("a.button").count() >= 1, kind
    finally:
        context.close()
