"""Admin › Inbound mail: the settings in words (never the password), the last poll, and the
ledger paged with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from app.core.database import utcnow
from app.extensions import db
from app.inbound.jobs import poll_inbound_mail
from app.inbound.models import InboundKind, InboundMessage, InboundOutcome
from tests.conftest import DEFAULT_PASSWORD


def admin_client(app: Flask, make) -> object:  # noqa: ANN001
    make.user(email="admin@example.com", is_admin=True)
    client = app.test_client()
    client.post("/login", data={"email": "admin@example.com", "password": DEFAULT_PASSWORD})
    return client


def add_messages(app: Flask, count: int) -> None:
    with app.app_context():
        db.session.add_all(
            InboundMessage(
                message_key=f"<m{n}@example.test>",
                received_at=utcnow(),
                sender=f"person{n}@example.test",
                recipient="tickler+p-abc@example.test",
                subject=f"Subject {n}",
                transport="imap",
                kind=InboundKind.MAIL_IN,
                outcome=InboundOutcome.CREATED,
                detail="Task created.",
            )
            for n in range(count)
        )
        db.session.commit()


def test_inbound_page_shows_settings_last_poll_and_messages_without_the_password(
    app: Flask,
    make,
    configure: Callable[..., None],
    tmp_path,
    count_queries,  # noqa: ANN001
) -> None:
    configure(
        INBOUND_IMAP_HOST="imap.example.test",
        INBOUND_IMAP_USERNAME="tickler@example.test",
        INBOUND_IMAP_PASSWORD="secret-app-password",
        INBOUND_MAILDIR=str(tmp_path / "inbound"),
    )
    client = admin_client(app, make)
    add_messages(app, 60)
    with app.app_context():
        configure(INBOUND_IMAP_HOST=None)
        poll_inbound_mail.run()
        configure(INBOUND_IMAP_HOST="imap.example.test")
    with count_queries() as queries:
        page = client.get("/admin/inbound/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "imap.example.test:993" in html and "secret-app-password" not in html
    assert "maildir: 0 handled." in html
    assert html.count("<tr>") == 50 + 1
    assert "Page 1 of 2" in html
    second = client.get("/admin/inbound/?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 10 + 1
    assert len(queries) < 12


def test_inbound_page_is_for_admins_only(app: Flask, make, auth) -> None:  # noqa: ANN001
    make.user(email="someone@example.com")
    auth.login("someone@example.com")
    assert auth.client.get("/admin/inbound/").status_code == 403
