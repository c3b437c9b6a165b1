"""The Outbox: every email with its status and reason, searchable, resendable, in fixed queries."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.database import utcnow
from app.core.email import ledger, live_runs
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.extensions import db
from app.tasks.task_management import send_task_reminders
from tests.jobs_helpers import run_job
from tests.services_available import require

EDIT = {"description": "", "priority": "medium", "due_at": "", "status": "pending"}


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.1)
    return value


def add_deliveries(app, rows):
    with app.app_context():
        now = utcnow()
        for n, (user_id, kind, status) in enumerate(rows):
            db.session.add(
                Delivery(
                    recipient_id=user_id,
                    kind=kind,
                    period=f"p{n}",
                    status=status,
                    attempts=1,
                    created_at=now - timedelta(minutes=n),
                    updated_at=now,
                    reason={"rule": "a test rule", "task_ids": []},
                )
            )
        db.session.commit()


def outbox_row(app, user_id, kind):
    with app.app_context():
        row = db.session.scalar(
            select(Delivery).where(Delivery.recipient_id == user_id, Delivery.kind == kind)
        )
        if row is not None:
            db.session.expunge(row)
        return row


@pytest.fixture
def people(make):
    boss = make.user(email="boss@example.com", name="Bea Boss", is_admin=True)
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    return {"boss": boss, "ann": ann, "bob": bob}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/outbox"),
        ("get", "/admin/outbox?recipient=ann"),
        ("post", "/admin/deliveries/1/resend"),
    ],
)
def test_outbox_is_for_admins_only(client, auth, people, method, url):
    auth.login("ann@example.com")
    assert getattr(client, method)(url).status_code == 403


def test_search_by_recipient_name_or_email_ignores_case(app, client, auth, people):
    add_deliveries(
        app,
        [
            (people["ann"], EmailKind.TASK_REMINDER, DeliveryStatus.SENT),
            (people["bob"], EmailKind.OVERDUE_ALERT, DeliveryStatus.FAILED),
            (people["bob"], EmailKind.WEEKLY_SUMMARY, DeliveryStatus.SENT),
        ],
    )
    auth.login("boss@example.com")
    page = client.get("/admin/outbox?recipient=ANN").data.decode()
    assert "ann@example.com" in page and "bob@example.com" not in page
    page = client.get("/admin/outbox?recipient=bob@EXAMPLE").data.decode()
    assert "bob@example.com" in page and "ann@example.com" not in page
    assert "2 emails" in page
    page = client.get("/admin/outbox?recipient=bob&status=failed").data.decode()
    assert "1 email<" in page and "Daily alert about overdue tasks" in page
    page = client.get("/admin/outbox?kind=weekly_summary").data.decode()
    assert "1 email<" in page and "Weekly summary" in page
    # Wildcards are searched for literally.
    assert "No emails match" in client.get("/admin/outbox?recipient=%25").data.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [("kind=spam", "no kind of email called"), ("status=lost", "no status called")],
)
def test_unknown_filters_say_so_instead_of_failing(client, auth, people, query, message):
    auth.login("boss@example.com")
    response = client.get(f"/admin/outbox?{query}&page=abc")
    assert response.status_code == 200
    assert message in response.data.decode()


def test_query_count_does_not_grow_with_rows_and_pages_hold_fifty(
    app, client, auth, people, count_queries
):
    auth.login("boss@example.com")
    add_deliveries(app, [(people["ann"], EmailKind.TASK_REMINDER, DeliveryStatus.SENT)] * 3)
    with count_queries() as few:
        assert client.get("/admin/outbox").status_code == 200
    with app.app_context():
        db.session.query(Delivery).delete()
        db.session.commit()
    many = [(people["ann"], EmailKind.TASK_REMINDER, DeliveryStatus.SENT)] * 40
    many += [(people["bob"], EmailKind.TASK_ACTIVITY, DeliveryStatus.FAILED)] * 30
    add_deliveries(app, many)
    with count_queries() as lots:
        page = client.get("/admin/outbox").data.decode()
    assert len(lots) == len(few)
    assert "Page 1 of 2 · 70 emails" in page and page.count("data-delivery=") == 50
    assert client.get("/admin/outbox?page=2").data.decode().count("data-delivery=") == 20


@pytest.mark.worker
def test_a_digest_shows_its_rule_and_links_its_tasks(
    app, client, auth, people, make, celery_worker, smtp
):
    project = make.project(people["ann"])
    soon = make.task(
        project,
        people["ann"],
        title="Call the printer",
        assignee_id=people["ann"],
        due_at=utcnow() + timedelta(hours=5),
    )
    run_job(app, send_task_reminders)
    row = outbox_row(app, people["ann"], EmailKind.TASK_REMINDER)
    assert row.status == DeliveryStatus.SENT and row.reason["task_ids"] == [soon]
    auth.login("boss@example.com")
    page = client.get("/admin/outbox?recipient=ann").data.decode()
    assert "Assigned tasks due within 24 hours, at 08:00 your time" in page
    assert f'<a href="/task/{soon}">Call the printer</a>' in page
    assert 'data-status="sent"' in page


@pytest.mark.worker
def test_an_event_email_shows_its_events_and_a_failed_one_is_resent(
    app, client, auth, people, make, celery_worker, smtp
):
    project = make.project(people["ann"], members=(people["bob"],))
    task = make.task(project, people["ann"], title="Write the post")
    smtp.handler.refuse_recipients["bob@example.com"] = "550 No such user bob@example.com"
    auth.login("ann@example.com")
    edit = {**EDIT, "title": "Write the post", "assignee_id": str(people["bob"])}
    assert client.post(f"/task/{task}/edit", data=edit).status_code == 302
    row = wait_until(
        lambda: (
            (r := outbox_row(app, people["bob"], EmailKind.TASK_ACTIVITY))
            and r.status == DeliveryStatus.FAILED
            and r
        )
    )
    assert row.reason["task_ids"] == [task]
    assert "Ann Lee assigned “Write the post” to you" in row.reason["events"][0]

    auth.logout()
    auth.login("boss@example.com")
    page = client.get("/admin/outbox?recipient=builder&status=failed").data.decode()
    assert "550 No such user" in page and "Ann Lee assigned" in page
    assert f'<a href="/task/{task}">Write the post</a>' in page

    smtp.handler.refuse_recipients.clear()
    response = client.post(
        f"/admin/deliveries/{row.id}/resend", data={"back": "/admin/outbox?recipient=bob"}
    )
    assert response.headers["Location"] == "/admin/outbox?recipient=bob"
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["bob@example.com"]
    assert "Ann Lee assigned" in message.get_body(("plain",)).get_content()
    resent = wait_until(
        lambda: (
            (r := outbox_row(app, people["bob"], EmailKind.TASK_ACTIVITY))
            and r.status == DeliveryStatus.SENT
            and r
        )
    )
    assert resent.id == row.id and resent.attempts == 1 and resent.sent_at is not None


def test_resend_refuses_an_email_that_has_not_failed(app, client, auth, people):
    add_deliveries(app, [(people["ann"], EmailKind.TASK_REMINDER, DeliveryStatus.SENT)])
    auth.login("boss@example.com")
    with app.app_context():
        delivery_id = db.session.scalar(select(Delivery.id))
    assert client.post(f"/admin/deliveries/{delivery_id}/resend").status_code == 404
    response = client.post(
        "/admin/deliveries/999999/resend", data={"back": "https://evil.example/"}
    )
    assert response.status_code == 404


@pytest.mark.worker
def test_an_event_email_that_fails_once_shows_two_attempts_and_is_sent(
    app, client, auth, people, make, celery_worker, smtp
):
    project = make.project(people["ann"], members=(people["bob"],))
    task = make.task(project, people["ann"], title="Write the post")
    smtp.handler.fail_data.append("451 4.3.0 try again later")
    auth.login("ann@example.com")
    edit = {**EDIT, "title": "Write the post", "assignee_id": str(people["bob"])}
    assert client.post(f"/task/{task}/edit", data=edit).status_code == 302
    [message] = smtp.wait_for(1)
    row = wait_until(
        lambda: (
            (r := outbox_row(app, people["bob"], EmailKind.TASK_ACTIVITY))
            and r.status == DeliveryStatus.SENT
            and r
        )
    )
    assert row.attempts == 2 and row.last_error is None
    assert row.reason["notification_ids"] and row.reason["task_ids"] == [task]
    with app.app_context():
        assert db.session.query(Delivery).count() == 1, "the retry reused the same ledger row"


def test_periods_are_shown_in_words_not_ledger_keys(app, client, auth, make, people):
    make.user(email="root@example.com", is_admin=True, timezone="Europe/Berlin")
    project = make.project(people["ann"])
    task = make.task(project, people["ann"])
    with app.app_context():
        from app.notifications.models import Notification

        began = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        event = Notification(
            user_id=people["ann"],
            kind="comment",
            task_id=task,
            message="Bo said hi",
            created_at=began,
        )
        db.session.add(event)
        db.session.flush()
        event_id = event.id
        for kind, period, reason in [
            (EmailKind.TASK_REMINDER, "2026-12-07", {}),
            (EmailKind.WEEKLY_SUMMARY, "2026-W50", {}),
            (EmailKind.TASK_ACTIVITY, f"n{event_id}", {"events": ["Bo said hi", "Bo again"]}),
        ]:
            db.session.add(
                Delivery(
                    recipient_id=people["ann"],
                    kind=kind,
                    period=period,
                    status=DeliveryStatus.FAILED,
                    attempts=1,
                    reason=reason,
                )
            )
        db.session.commit()
    auth.login("root@example.com")
    for url in ("/admin/outbox", "/admin/deliveries"):
        page = client.get(url).data.decode()
        assert "Reminder for Mon 7 Dec 2026" in page
        assert "Week of Mon 7 – Sun 13 Dec 2026" in page
        assert "2 events from Mon 07 Dec 2026, 09:00 CET" in page
        assert f">n{event_id}<" not in page and ">2026-W50<" not in page


def test_a_claim_whose_worker_stopped_reads_as_waiting_not_sending(
    app, client, auth, people, make, monkeypatch
):
    """A "sending" row whose lease lapsed and whose run is gone is owed again: the Outbox says
    it waits to be sent again, by the sweep's own rule. A live lease, or a live run whose lease
    lapsed, still reads as sending; a row whose job was lost reads as pending."""
    dead, alive, slow, lost = (make.user(email=f"{n}@example.com") for n in range(4))
    lease = timedelta(seconds=90)
    with app.app_context():
        require(db.engine.dialect.name == "postgresql", "run locks need PostgreSQL")
        now = utcnow()
        kind = EmailKind.TASK_REMINDER
        ledger.ensure_rows(db.session, kind, [(u, "p") for u in (dead, alive, slow, lost)], now)
        ledger.claim(db.session, kind, [(dead, "p")], "killed", now - 2 * lease, lease)
        ledger.claim(db.session, kind, [(slow, "p")], "slow-run", now - 2 * lease, lease)
        ledger.claim(db.session, kind, [(alive, "p")], "running", now, lease)
        db.session.commit()
        ids = dict(db.session.execute(select(Delivery.recipient_id, Delivery.id)).all())
    monkeypatch.setitem(app.config, "DELIVERY_SWEEP_SECONDS", 60)
    auth.login("boss@example.com")
    with app.app_context(), live_runs.run_held(db.engine, "slow-run") as held:
        assert held
        page = client.get("/admin/outbox").data.decode()
    assert badge_of(page, ids[dead]) == ("waiting", "Waiting")
    assert waiting_note_of(page, ids[dead]) == "Its worker stopped; sent again within 1 minute."
    assert badge_of(page, ids[alive]) == ("sending", "Sending")
    assert badge_of(page, ids[slow]) == ("sending", "Sending")
    assert badge_of(page, ids[lost]) == ("pending", "Pending")
    monkeypatch.setitem(app.config, "DELIVERY_SWEEP_SECONDS", 150)
    page = client.get("/admin/outbox").data.decode()
    assert waiting_note_of(page, ids[dead]).endswith("within 3 minutes.")
    # Its lock gone, the slow run's lapsed claim is owed again too.
    assert badge_of(page, ids[slow])[0] == "waiting"


def waiting_note_of(page: str, delivery_id: int) -> str:
    """The line under a waiting row's badge that says why it waits and for how long."""
    row = page.split(f'data-delivery="{delivery_id}"', 1)[1].split("</tr>", 1)[0]
    found = re.search(r"data-waiting-note>([^<]*)</span>", row)
    assert found, row
    return found.group(1)


def badge_of(page: str, delivery_id: int) -> tuple[str, str]:
    """The status badge of one Outbox row: (its data-status, its words)."""
    row = page.split(f'data-delivery="{delivery_id}"', 1)[1].split("</tr>", 1)[0]
    found = re.search(r'data-status="([a-z]+)"[^>]*>([^<]*)</span>', row)
    assert found, row
    return found.group(1), found.group(2)
