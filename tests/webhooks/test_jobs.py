"""Webhooks end to end: a real worker POSTs to a real receiver on 127.0.0.1, signed, once each."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project
from app.tasklist.changes import record_created
from app.webhooks import service as webhook_rules
from app.webhooks.jobs import cleanup_old_webhook_deliveries, deliver_webhook, retry_failed_webhooks
from app.webhooks.models import WebhookDelivery, WebhookStatus

pytestmark = pytest.mark.worker


@pytest.fixture
def hook_settings(app, monkeypatch):
    """Loopback allowed (development setting), quick retries, a short timeout."""
    for key, value in {
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "WEBHOOK_RETRY_BASE_SECONDS": 0,
        "WEBHOOK_TIMEOUT_SECONDS": 1,
        "WEBHOOK_MAX_RESPONSE_BYTES": 1024,
        "WEBHOOK_IMMEDIATE_RETRIES": 3,
        "WEBHOOK_MAX_ATTEMPTS": 6,
    }.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def hooked(app, make, auth, receiver, hook_settings):
    owner = make.user(email="olga@example.com", name="Olga")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(owner, members=(bob,))
    with app.app_context():
        subscription = webhook_rules.create_subscription(
            db.session,
            project=db.session.get(Project, project),
            creator=db.session.get(User, owner),
            url=receiver.url,
            events=[
                "task.created",
                "task.updated",
                "task.completed",
                "task.assigned",
                "comment.created",
            ],
            allowed_hosts=frozenset({"127.0.0.1"}),
        )
        db.session.commit()
        receiver.secret = subscription.secret
        subscription_id = subscription.id
    auth.login("olga@example.com")
    return {"owner": owner, "bob": bob, "project": project, "subscription": subscription_id}


def deliveries(app):
    with app.app_context():
        rows = list(db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_task_made_in_the_browser_reaches_the_receiver_signed(
    app, client, hooked, receiver, celery_worker
):
    client.post(
        f"/projects/{hooked['project']}/tasks/new",
        data={
            "title": "Ship it",
            "description": "",
            "status": "pending",
            "priority": "high",
            "due_at": "",
            "assignee_id": str(hooked["bob"]),
        },
    )
    receiver.wait_for(2)
    events = sorted(r.event for r in receiver.received)
    assert events == ["task.assigned", "task.created"]
    created = next(r for r in receiver.received if r.event == "task.created")
    assert created.signature_ok, "signed with the webhook's secret, verifiable by the recipe"
    assert created.host == receiver.url.split("/")[2], "Host names the URL's host"
    task = created.body["data"]["task"]
    assert (task["title"], task["priority"], task["assignee_id"]) == (
        "Ship it",
        "high",
        hooked["bob"],
    )
    assert created.body["event"] == "task.created" and created.body["id"] == created.delivery
    assert created.body["project"] == {"id": hooked["project"]}
    assert "bob@example.com" not in str(created.body), "ids and names, never addresses"
    assert wait_until(lambda: all(d.status == WebhookStatus.DELIVERED for d in deliveries(app)))
    row = deliveries(app)[0]
    assert (row.response_code, row.attempts, row.response_excerpt) == (200, 1, "ok")
    assert row.duration_ms is not None


def test_every_event_kind_arrives_once(app, client, hooked, receiver, celery_worker, make):
    from app.tasklist.models import Task

    task = make.task(hooked["project"], hooked["owner"], title="Write docs")
    with app.app_context():
        # Made by the factory, not a service: no event yet.
        assert deliveries(app) == []
        db.session.get(Task, task)
    form = {
        "title": "Write the docs",
        "description": "",
        "status": "in_progress",
        "priority": "medium",
        "due_at": "",
        "assignee_id": str(hooked["bob"]),
    }
    client.post(f"/task/{task}/edit", data=form)
    client.post(f"/task/{task}/comments", data={"body": "On it @bob"})
    client.post(f"/task/{task}/complete")
    receiver.wait_for(5)
    assert sorted(r.event for r in receiver.received) == [
        "comment.created",
        "task.assigned",
        "task.completed",
        "task.updated",
        "task.updated",
    ]
    assert set(receiver.accepted().values()) == {1}


def test_retries_on_5xx_429_and_timeouts_deliver_each_event_exactly_once(
    app, hooked, receiver, celery_worker
):
    receiver.script = [
        (500, b"oops", 0.0),
        (429, b"slow down", 0.0),
        (200, b"x", 1.5),  # answered after our 1 s timeout: a network error to us
        (200, b"finally", 0.0),
    ]
    with app.app_context():
        from app.tasklist.models import Task

        task = Task(project_id=hooked["project"], creator_id=hooked["owner"], title="Flaky")
        db.session.add(task)
        db.session.flush()
        record_created(db.session, task, actor_id=hooked["owner"])
        db.session.commit()
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.DELIVERED)
    (row,) = deliveries(app)
    assert row.attempts == 4
    assert wait_until(lambda: len(receiver.received) == 4), "the slow answer is logged last"
    assert sorted(r.answered for r in receiver.received) == [200, 200, 429, 500]
    # The receiver saw the same delivery id four times but accepted it once; the slow 200
    # counts for it, so a receiver that dedupes by X-Tickler-Delivery does the work once.
    assert len({r.delivery for r in receiver.received}) == 1
    assert all(r.signature_ok for r in receiver.received)


def test_a_4xx_fails_at_once_and_redeliver_sends_it_again(
    app, client, hooked, receiver, celery_worker
):
    receiver.script = [(404, b"no such hook", 0.0)]
    client.post(f"/webhooks/{hooked['subscription']}/ping")
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.FAILED)
    failed = deliveries(app)[0]
    assert (failed.attempts, failed.response_code, failed.last_error) == (
        1,
        404,
        "answered HTTP 404",
    )
    page = client.get(f"/webhooks/{hooked['subscription']}").data.decode()
    assert "HTTP 404" in page and "no such hook" in page
    client.post(f"/webhooks/{hooked['subscription']}/deliveries/{failed.id}/redeliver")
    assert wait_until(lambda: deliveries(app)[-1].status == WebhookStatus.DELIVERED)
    assert [r.event for r in receiver.received] == ["ping", "ping"]
    assert receiver.received[0].delivery == receiver.received[1].delivery, "same event id"


def test_a_huge_answer_is_read_only_up_to_the_cap(app, client, hooked, receiver, celery_worker):
    receiver.script = [(200, b"A" * 5_000_000, 0.0)]
    client.post(f"/webhooks/{hooked['subscription']}/ping")
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.DELIVERED)
    excerpt = deliveries(app)[0].response_excerpt
    assert excerpt.endswith("[response cut at the size limit]")
    assert len(excerpt) < 1100


def test_what_ran_out_of_immediate_retries_is_sent_by_the_sweep(
    app, hooked, receiver, celery_worker, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOK_IMMEDIATE_RETRIES", 0)
    receiver.script = [(503, b"", 0.0)]
    with app.app_context():
        webhook_rules.record_ping(
            db.session, webhook_rules.get_subscription(db.session, hooked["subscription"]), utcnow()
        )
        db.session.commit()
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.RETRYING)
    assert retry_failed_webhooks.delay().get(timeout=30) == {"queued": 1}
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.DELIVERED)
    assert retry_failed_webhooks.delay().get(timeout=30) == {"queued": 0}
    assert [r.answered for r in receiver.received] == [503, 200]
    assert receiver.accepted().most_common(1)[0][1] == 1


def test_a_delivery_job_run_twice_sends_once(app, hooked, receiver, celery_worker):
    with app.app_context():
        webhook_rules.record_ping(
            db.session, webhook_rules.get_subscription(db.session, hooked["subscription"]), utcnow()
        )
        db.session.commit()
    receiver.wait_for(1)
    (row,) = deliveries(app)
    # The broker handing the same job out again finds the delivery already done.
    assert deliver_webhook.delay(row.id).get(timeout=30)["status"] == "not claimable"
    assert len(receiver.received) == 1


def test_a_rolled_back_change_sends_nothing(app, hooked, receiver, celery_worker):
    from app.tasklist.models import Task

    with app.app_context():
        task = Task(project_id=hooked["project"], creator_id=hooked["owner"], title="Never")
        db.session.add(task)
        db.session.flush()
        record_created(db.session, task, actor_id=hooked["owner"])
        db.session.rollback()
        webhook_rules.record_ping(
            db.session, webhook_rules.get_subscription(db.session, hooked["subscription"]), utcnow()
        )
        db.session.commit()
    receiver.wait_for(1)
    time.sleep(0.5)
    assert [r.event for r in receiver.received] == ["ping"]


def test_a_url_that_now_resolves_to_loopback_is_refused_at_connect_time(
    app, hooked, receiver, celery_worker, monkeypatch
):
    # Saved while allowed; the allow-list is then switched off, as in production.
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "")
    with app.app_context():
        subscription = webhook_rules.get_subscription(db.session, hooked["subscription"])
        subscription.url = receiver.url.replace("127.0.0.1", "localhost")
        webhook_rules.record_ping(db.session, subscription, utcnow())
        db.session.commit()
    assert wait_until(lambda: deliveries(app)[0].status == WebhookStatus.FAILED)
    assert "refused: localhost resolves to" in deliveries(app)[0].last_error
    assert receiver.received == []


def test_old_deliveries_are_cleaned_up(app, hooked, celery_worker):
    with app.app_context():
        subscription = webhook_rules.get_subscription(db.session, hooked["subscription"])
        old = webhook_rules.new_delivery(subscription, "ping", {}, utcnow() - timedelta(days=31))
        old.status = WebhookStatus.DELIVERED
        recent = webhook_rules.new_delivery(subscription, "ping", {}, utcnow() - timedelta(days=1))
        recent.status = WebhookStatus.DELIVERED
        db.session.add_all([old, recent])
        db.session.commit()
    assert cleanup_old_webhook_deliveries.delay().get(timeout=30) == {"deleted": 1}
    assert len(deliveries(app)) == 1


def test_the_web_process_queues_deliveries_without_importing_the_worker_modules():
    """create_app installs the one after-commit hook and the event subscribers itself, as in
    gunicorn, not only in a worker."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from sqlalchemy import event\n"
        "from sqlalchemy.orm import Session\n"
        "from app import create_app\n"
        "create_app('testing')\n"
        "outbox = sys.modules['app.core.queueing']\n"
        "events = sys.modules['app.core.events']\n"
        "hooks = sys.modules['app.webhooks.subscribers']\n"
        "print(event.contains(Session, 'after_commit', outbox.publish_waiting))\n"
        "print(event.contains(Session, 'after_rollback', outbox.drop_waiting))\n"
        "print(hooks.on_task_event in events.subscribers_of(events.TaskCreated))\n"
        "print(hooks.on_task_event in events.subscribers_of(events.TaskChanged))\n"
        "print(hooks.on_comment_added in events.subscribers_of(events.CommentAdded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["True"] * 5


def test_mark_done_from_an_email_link_sends_task_completed(app, hooked, receiver, celery_worker):
    from app.actions.links import ActionClaim, perform
    from app.tasklist.models import Task

    with app.app_context():
        task = Task(project_id=hooked["project"], creator_id=hooked["owner"], title="From email")
        db.session.add(task)
        db.session.commit()
        claim = ActionClaim(db.session.get(User, hooked["owner"]), task, "done", "nonce-1")
        assert "marked as done" in perform(db.session, claim, utcnow())
        db.session.commit()
    receiver.wait_for(2)
    assert sorted(r.event for r in receiver.received) == ["task.completed", "task.updated"]
