"""The scheduled digests end to end: real worker on Redis, real SMTP server, real database."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core.database import utcnow
from app.core.email import ledger, live_runs
from app.core.email.models import DeliveryStatus, EmailKind
from app.extensions import db
from app.notifications.jobs import send_digest_chunk
from app.tasklist.deadlines import local_week
from app.tasklist.models import TaskStatus
from app.tasks.task_management import (
    fetch_and_print_overdue_tasks,
    send_task_reminders,
    send_weekly_summary_email,
)
from tests.jobs_helpers import deliveries, run_job, wait_settled
from tests.services_available import require

pytestmark = pytest.mark.worker


@pytest.fixture
def team(make):
    """Ann (Tokyo) has two tasks due soon and one overdue; Bob has only far-off work."""
    now = utcnow()
    ann = make.user(email="ann@example.com", name="Ann", timezone="Asia/Tokyo")
    bob = make.user(email="bob@example.com", name="Bob", timezone="Europe/Berlin")
    project = make.project(ann, name="Launch", members=(bob,))
    make.task(
        project,
        ann,
        title="Write <b>launch</b> post",
        assignee_id=ann,
        due_at=now + timedelta(hours=3),
    )
    make.task(
        project, ann, title="Call the printer", assignee_id=ann, due_at=now + timedelta(hours=20)
    )
    make.task(
        project,
        ann,
        title="Send invoices",
        assignee_id=ann,
        due_at=now - timedelta(days=2, hours=1),
    )
    make.task(project, ann, title="Plan Q3", assignee_id=bob, due_at=now + timedelta(days=5))
    make.task(
        project,
        ann,
        title="Already done",
        assignee_id=bob,
        due_at=now + timedelta(hours=2),
        status=TaskStatus.COMPLETED,
    )
    return {"ann": ann, "bob": bob, "project": project}


def test_reminder_reaches_each_person_with_tasks_due_soon_once(app, celery_worker, smtp, team):
    result = run_job(app, send_task_reminders)
    assert result["recipients"] == 1
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert message["Subject"] == "2 tasks due in the next 24 hours"
    assert message["To"] == "Ann <ann@example.com>"
    text = message.get_body(("plain",)).get_content()
    assert "Write <b>launch</b> post" in text and "Call the printer" in text
    assert "JST" in text, "due times are shown in the recipient's timezone"
    assert "Plan Q3" not in text and "Already done" not in text


def test_reminder_email_is_multipart_with_inlined_css_absolute_links_and_escaped_titles(
    app, celery_worker, smtp, team
):
    run_job(app, send_task_reminders)
    [message] = smtp.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    # Every rule is inlined for mail clients; only media queries (phone widths, dark mode),
    # which cannot be inlined, stay behind in a <style> block.
    left_in_style_blocks = "".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL))
    flat_rules = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", left_in_style_blocks)
    assert flat_rules.strip() == "" and 'style="' in html, "CSS is inlined for mail clients"
    assert "Write &lt;b&gt;launch&lt;/b&gt; post" in html
    assert "<b>launch</b>" not in html
    assert 'href="http://localhost/task/' in html
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(">")
    assert message["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_the_job_twice_sends_nothing_twice(app, celery_worker, smtp, team):
    run_job(app, send_task_reminders)
    second = run_job(app, send_task_reminders)
    assert second["recipients"] == 0
    assert len(smtp.messages) == 1
    [row] = deliveries(app)
    assert (row.kind, row.status, row.attempts) == (EmailKind.TASK_REMINDER, DeliveryStatus.SENT, 1)
    assert row.reason["task_ids"] and row.sent_at is not None


def test_two_workers_racing_on_the_same_chunk_send_once(app, celery_worker, smtp, make):
    now = utcnow()
    people = [make.user(email=f"p{n}@example.com") for n in range(6)]
    project = make.project(people[0], members=tuple(people[1:]))
    for person in people:
        make.task(project, person, assignee_id=person, due_at=now + timedelta(hours=2))
    period = now.date().isoformat()
    pairs = [[person, period] for person in people]
    # Two job copies with their own ids, as two workers would run them, at the same moment.
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        send_digest_chunk.apply(args=("task_reminder", pairs, now.isoformat()))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    wait_settled(app, len(people))
    assert sorted(m.envelope_recipients[0] for m in smtp.messages) == sorted(
        f"p{n}@example.com" for n in range(6)
    )


def test_a_copy_of_a_chunk_still_sending_elsewhere_sends_nothing(app, celery_worker, smtp, make):
    """Redis hands out an unacknowledged job again once its visibility timeout passes, even
    while the first execution is still sending: the copy carries the same job id, so the same
    claim token. It must send nothing; a redelivery after the first one died sends the rest."""
    now = utcnow()
    people = [make.user(email=f"c{n}@example.com") for n in range(3)]
    project = make.project(people[0], members=tuple(people[1:]))
    for person in people:
        make.task(project, person, assignee_id=person, due_at=now + timedelta(hours=2))
    period = now.date().isoformat()
    pairs = [[person, period] for person in people]
    token = "chunk-handed-out-twice"
    with app.app_context():
        require(db.engine.dialect.name == "postgresql", "run locks need PostgreSQL")
        # The first execution: alive (its run lock held), its claim taken, still sending.
        with live_runs.run_held(db.engine, token) as first_alive:
            assert first_alive
            taken = ledger.claim(
                db.session, EmailKind.TASK_REMINDER, [tuple(p) for p in pairs], token, utcnow()
            )
            assert len(taken) == 3
            db.session.commit()
            copy = send_digest_chunk.apply(
                args=("task_reminder", pairs, now.isoformat()), task_id=token
            )
            assert copy.get() == {"already_running": 1}
            assert smtp.messages == []
            assert {d.status for d in deliveries(app)} == {DeliveryStatus.SENDING}
        # The first execution died (its lock went with its connection): the broker's
        # redelivery takes its claims over at once, without waiting for the lease.
        send_digest_chunk.apply(args=("task_reminder", pairs, now.isoformat()), task_id=token)
    wait_settled(app, len(people))
    assert sorted(m.envelope_recipients[0] for m in smtp.messages) == [
        f"c{n}@example.com" for n in range(3)
    ]


def test_overdue_alert_has_red_urgency_and_days_overdue(app, celery_worker, smtp, team, caplog):
    run_job(app, fetch_and_print_overdue_tasks)
    [message] = smtp.wait_for(1)
    # One task: the subject names it.
    assert message["Subject"] == "“Send invoices” is overdue"
    html = message.get_body(("html",)).get_content()
    assert "#c62828" in html, "urgent red styling"
    assert "2 days overdue" in html or "3 days overdue" in html


def test_weekly_summary_goes_to_everyone_with_assigned_tasks(app, celery_worker, smtp, team):
    result = run_job(app, send_weekly_summary_email)
    assert result["recipients"] == 2
    smtp.wait_for(2)
    bob = smtp.to("bob@example.com")[0]
    text = bob.get_body(("plain",)).get_content()
    # The tile says "Completed"; the section below it says over what time.
    assert "Completed: 1" in text and "COMPLETED IN THE LAST 7 DAYS" in text
    # "This week" is Bob's Monday to Sunday, as on his dashboard: Plan Q3, due in five days,
    # is listed only when that is still this week (this test runs on the real date).
    week = local_week(utcnow(), "Europe/Berlin")
    assert f"DUE THIS WEEK ({week.words})" in text
    assert ("Plan Q3" in text) == (utcnow() + timedelta(days=5) < week.end)
    ann = smtp.to("ann@example.com")[0]
    assert "Overdue: 1" in ann.get_body(("plain",)).get_content()


def test_inactive_and_opted_out_people_get_nothing(app, celery_worker, smtp, make, team):
    from app.extensions import db
    from app.preferences.service import set_enabled

    with app.app_context():
        db.session.get(User, team["bob"]).is_active = False
        set_enabled(db.session, team["ann"], EmailKind.TASK_REMINDER, False)
        db.session.commit()
    assert run_job(app, send_task_reminders)["recipients"] == 0
    assert run_job(app, send_weekly_summary_email)["recipients"] == 1
    assert [m.envelope_recipients for m in smtp.wait_for(1)] == [["ann@example.com"]]


def test_a_451_is_retried_with_backoff_and_delivered_once(app, celery_worker, smtp, team):
    smtp.handler.fail_data = ["451 4.3.0 Try again later"]
    run_job(app, send_task_reminders)
    [message] = smtp.wait_for(1)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.SENT
    assert row.attempts == 2
    assert smtp.handler.data_attempts == 2
    assert message["Message-ID"] == row.message_id, "the retry is the same message"


def test_a_550_fails_that_person_at_once_and_others_still_get_theirs(
    app, celery_worker, smtp, team
):
    smtp.handler.refuse_recipients["ann@example.com"] = "550 5.1.1 No such user"
    run_job(app, send_weekly_summary_email)
    assert [m.envelope_recipients for m in smtp.wait_for(1)] == [["bob@example.com"]]
    rows = {row.recipient_id: row for row in deliveries(app)}
    assert rows[team["ann"]].status == DeliveryStatus.FAILED
    assert rows[team["ann"]].attempts == 1
    assert "550" in rows[team["ann"]].last_error
    assert rows[team["bob"]].status == DeliveryStatus.SENT


def test_nothing_to_say_means_no_email(app, celery_worker, smtp, make):
    owner = make.user(email="calm@example.com")
    project = make.project(owner)
    make.task(project, owner, assignee_id=owner, due_at=utcnow() + timedelta(days=9))
    assert run_job(app, send_task_reminders)["recipients"] == 0
    assert run_job(app, fetch_and_print_overdue_tasks)["recipients"] == 0
    assert smtp.messages == []
