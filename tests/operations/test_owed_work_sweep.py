"""The sweep: rows the ledger says are owed and nobody holds are found, handed on and queued
again; live claims and fresh rows are left alone; abandoned run records end."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import app.notifications.jobs as notifications_tasks
from app.core import pending_jobs
from app.core.database import utcnow
from app.core.email import ledger, live_runs
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.email.send import delivery_message_id
from app.exports.jobs import export_tasks_async
from app.exports.models import Export, ExportFormat, ExportStatus
from app.exports.run import run_token
from app.extensions import db
from app.notifications.jobs import flush_task_notifications, send_digest_chunk
from app.notifications.models import Notification
from app.operations import job_runs, owed_work
from app.operations.jobs import sweep_owed_work
from app.operations.models import TaskRun
from app.webhooks.jobs import deliver_webhook
from app.webhooks.models import WebhookDelivery, WebhookStatus, WebhookSubscription
from tests.services_available import require

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=90)
GRACE = timedelta(minutes=2)
KIND = EmailKind.TASK_REMINDER


def status_of(app, user_id: int) -> Delivery:
    with app.app_context():
        row = db.session.scalars(select(Delivery).where(Delivery.recipient_id == user_id)).one()
        db.session.expunge(row)
        return row


def test_rows_whose_job_was_lost_or_whose_claim_expired_are_found_and_handed_on(app, make):
    lost, held, dead, fresh = (make.user(email=f"u{n}@example.com") for n in range(4))
    planned = NOW - timedelta(minutes=10)
    with app.app_context():
        # Planned ten minutes ago; three were claimed at once, one job never came.
        ledger.ensure_rows(
            db.session, KIND, [(u, "2026-11-24") for u in (lost, held, dead)], planned
        )
        ledger.claim(db.session, KIND, [(held, "2026-11-24")], "alive", NOW - timedelta(seconds=30))
        ledger.claim(db.session, KIND, [(dead, "2026-11-24")], "killed", planned, LEASE)
        ledger.ensure_rows(db.session, KIND, [(fresh, "2026-11-24")], NOW - timedelta(seconds=5))
        db.session.commit()

        orphans = owed_work.orphaned_digests(db.session, NOW)
        assert sorted(o.recipient_id for o in orphans) == sorted([lost, dead])
        owed_work.release(db.session, [o.delivery_id for o in orphans], NOW, GRACE)
        db.session.commit()
        requeues = owed_work.digest_requeues(orphans, chunk_size=1)
    assert [(r.kind, r.now_iso) for r in requeues] == [(KIND, planned.isoformat())] * 2
    assert status_of(app, dead).status == DeliveryStatus.RETRYING  # the dead claim let go
    assert status_of(app, dead).claimed_by is None
    assert status_of(app, held).status == DeliveryStatus.SENDING  # a live lease is not touched
    with app.app_context():
        # A second sweep straight after finds nothing: the grace covers the queued jobs.
        assert owed_work.orphaned_digests(db.session, NOW + timedelta(seconds=1)) == []
        # The queued job may claim what the dead one held; its own heartbeat keeps it.
        [claimed] = ledger.claim(db.session, KIND, [(dead, "2026-11-24")], "new", NOW, LEASE)
        assert ledger.extend_lease(db.session, "new", NOW + LEASE, LEASE) == 1
        db.session.commit()
        later = owed_work.orphaned_digests(db.session, NOW + LEASE + timedelta(seconds=1))
        assert dead not in {o.recipient_id for o in later}
    assert claimed.recipient_id == dead


def test_a_message_never_tried_gets_its_attempt_back_and_waits_whatever_its_count():
    claimed = ledger.Claimed(7, 1, "2026-11-24", None, ledger.MAX_ATTEMPTS)
    untried = ledger.outcome_for(claimed, "transient", "<m>", "connection lost", None, False)
    assert (untried.status, untried.attempts) == (DeliveryStatus.RETRYING, ledger.MAX_ATTEMPTS - 1)
    refused = ledger.outcome_for(claimed, "transient", "<m>", "421 busy", None, True)
    assert refused.status == DeliveryStatus.FAILED and "gave up" in refused.error


HOURS_3, MINUTES_5 = timedelta(hours=3), timedelta(minutes=5)


def test_a_run_left_running_by_a_lost_worker_or_database_ends_as_interrupted(app):
    with app.app_context():
        db.session.add_all(
            [
                TaskRun(
                    celery_id="old",
                    name="old",
                    started_at=NOW - timedelta(hours=3),
                    state="started",
                ),
                TaskRun(
                    celery_id="now",
                    name="now",
                    started_at=NOW - timedelta(minutes=5),
                    state="started",
                ),
            ]
        )
        db.session.commit()
        assert job_runs.end_abandoned_runs(db.session, NOW) == 1
        db.session.commit()
        outcomes = dict(db.session.execute(select(TaskRun.name, TaskRun.state)).all())
    assert outcomes == {"old": "interrupted", "now": "started"}


class SenderDied(Exception):
    """Stands for the worker process dying while the email is on the wire: nothing after the
    send runs, exactly as after a SIGKILL; the claim committed before it stays."""


def test_an_activity_email_whose_sender_died_mid_send_is_swept_and_sent_once(
    app, make, smtp, celery_worker, monkeypatch
):
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    task = make.task(make.project(ann, members=(bob,)), ann, title="Write the post")
    with app.app_context():
        db.session.add_all(
            Notification(
                user_id=bob,
                task_id=task,
                kind="commented",
                message=f"Ann said {n}",
                in_app=True,
                email_wanted=True,
                created_at=NOW,
            )
            for n in range(2)
        )
        db.session.commit()
    # A one-second lease, so the dead claim runs out within the test.
    monkeypatch.setitem(app.config, "DELIVERY_LEASE_SECONDS", 1)
    with monkeypatch.context() as dying:
        dying.setattr(notifications_tasks, "send_marked", raise_sender_died)
        flush_task_notifications.apply(args=(bob, task), task_id="killed-sender")
    assert smtp.messages == []
    [row] = deliveries_of(app, EmailKind.TASK_ACTIVITY)
    assert (row.status, row.claimed_by) == (DeliveryStatus.SENDING, "killed-sender")
    # A redelivered copy of the job finds nothing to take: the events are marked taken.
    assert flush_task_notifications.apply(args=(bob, task)).get() == {"sent": 0}

    # Sweeps, as the workers run them, until the email arrives: once the lease has run out,
    # one gives the events back and queues the flush, which the worker sends.
    deadline = time.monotonic() + 20
    while not smtp.messages:
        assert time.monotonic() < deadline, "no sweep ever sent the dead sender's email"
        sweep_owed_work.apply().get()
        smtp.wait_for(1, timeout=0.5)
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["bob@example.com"]
    body = message.get_body(("plain",)).get_content()
    assert "Ann said 0" in body and "Ann said 1" in body
    # The worker settles the ledger row after the server's 250, so the message can be here a
    # moment before the row says so.
    deadline = time.monotonic() + 20
    while (row := deliveries_of(app, EmailKind.TASK_ACTIVITY)[0]).status != DeliveryStatus.SENT:
        assert time.monotonic() < deadline, f"the row stayed {row.status} after the email went"
        time.sleep(0.1)
    [row] = deliveries_of(app, EmailKind.TASK_ACTIVITY)
    assert row.status == DeliveryStatus.SENT
    with app.app_context():
        assert message["Message-ID"] == delivery_message_id(row.id)  # the same row, same id
        waiting = db.session.scalars(
            select(Notification.id).where(Notification.emailed_at.is_(None))
        ).all()
    assert waiting == []
    assert sweep_owed_work.apply().get()["activity_abandoned"] == 0
    time.sleep(1)  # nothing else is on its way
    assert len(smtp.messages) == 1


def raise_sender_died(*args, **kwargs):
    raise SenderDied


def deliveries_of(app, kind: EmailKind) -> list[Delivery]:
    with app.app_context():
        rows = db.session.scalars(select(Delivery).where(Delivery.kind == kind)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_an_abandoned_activity_row_whose_events_are_gone_ends_skipped(app, make):
    bob = make.user(email="bob@example.com")
    with app.app_context():
        ledger.claim(db.session, EmailKind.TASK_ACTIVITY, [(bob, "n999")], "killed", NOW, LEASE)
        [row_id] = db.session.scalars(select(Delivery.id)).all()
        ledger.note_reason(db.session, row_id, {"task_ids": [5], "notification_ids": [999]})
        db.session.commit()
        later = NOW + LEASE + timedelta(seconds=1)
        orphans = owed_work.orphaned_activity(db.session, later)
        assert owed_work.release_activity(db.session, orphans, later, GRACE) == []
        db.session.commit()
        assert owed_work.orphaned_activity(db.session, later + GRACE * 2) == []
    assert status_of(app, bob).status == DeliveryStatus.SKIPPED


def test_a_live_run_whose_lease_lapsed_keeps_its_rows_from_the_sweep_and_other_jobs(app, make):
    """A heartbeat that could not reach the database for a while lets a lease lapse on a run
    still sending. Its run lock says it lives: the sweep leaves its rows and no other job may
    take them (that would send them twice). Once it is gone, both may."""
    slow = make.user(email="slow@example.com")
    pair = [(slow, "2026-11-24")]
    with app.app_context():
        require(db.engine.dialect.name == "postgresql", "run locks need PostgreSQL")
        ledger.claim(db.session, KIND, pair, "slow-run", NOW - 2 * LEASE, LEASE)
        db.session.commit()
        with live_runs.run_held(db.engine, "slow-run") as alive:
            assert alive
            assert owed_work.orphaned_digests(db.session, NOW) == []
            assert ledger.claim(db.session, KIND, pair, "other", NOW, LEASE) == []
            db.session.commit()
        # The run died: its lapsed lease is now what it says.
        [orphan] = owed_work.orphaned_digests(db.session, NOW)
        assert orphan.recipient_id == slow
        db.session.rollback()
        [taken] = ledger.claim(db.session, KIND, pair, "other", NOW, LEASE)
        db.session.commit()
    assert status_of(app, slow).claimed_by == "other"


@dataclass
class Queued:
    """What a sweep handed to Celery, by job: each call's arguments."""

    calls: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))

    def recorder(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: self.calls[name].append(args or tuple(kwargs.values()))

    def take(self) -> dict[str, list[tuple]]:
        taken = {name: sorted(calls) for name, calls in self.calls.items()}
        self.calls.clear()
        return taken


@pytest.fixture
def queued(app, monkeypatch) -> Queued:
    """The sweep's jobs recorded instead of sent to a broker."""
    seen = Queued()
    for job in (deliver_webhook, export_tasks_async, flush_task_notifications, send_digest_chunk):
        monkeypatch.setattr(job, "delay", seen.recorder(job.name))
    celery = app.extensions["celery"]

    def send_task(name: str, args=(), kwargs=None, **options) -> None:
        seen.calls[name].append(tuple(args))

    monkeypatch.setattr(celery, "send_task", send_task)
    return seen


def add_webhook_deliveries(session, project: int, user: int, now: datetime) -> dict[str, int]:
    """One delivery each way the sweep must find, and two it must leave."""
    subscription = WebhookSubscription(
        project_id=project,
        created_by_id=user,
        url="https://hooks.example.com/t",
        secret="s" * 32,
        events="task.created",
    )
    session.add(subscription)
    session.flush()
    ways = {
        "never_queued": (WebhookStatus.PENDING, now - timedelta(minutes=5), None),
        "sender_died": (WebhookStatus.SENDING, now - timedelta(hours=1), now - timedelta(hours=1)),
        "just_written": (WebhookStatus.PENDING, now, None),
        "being_sent": (WebhookStatus.SENDING, now - timedelta(hours=1), now),
    }
    rows = {
        way: WebhookDelivery(
            subscription_id=subscription.id,
            event="task.created",
            event_id=f"event-{way}",
            payload="{}",
            status=status,
            created_at=created,
            updated_at=created,
            attempted_at=attempted,
        )
        for way, (status, created, attempted) in ways.items()
    }
    session.add_all(rows.values())
    session.flush()
    return {way: row.id for way, row in rows.items()}


def test_the_sweep_queues_webhooks_exports_kept_jobs_and_lost_activity_flushes_once_each(
    app, make, queued
):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    task = make.task(project, ann, title="Ship it")
    with app.app_context():
        now = utcnow()
        hooks = add_webhook_deliveries(db.session, project, ann, now)
        waiting_export = Export(
            user_id=ann, project_id=project, format=ExportFormat.CSV, filters={},
            created_at=now - timedelta(hours=1),
        )  # fmt: skip
        fresh_export = Export(user_id=ann, project_id=project, format=ExportFormat.CSV, filters={})
        db.session.add_all([waiting_export, fresh_export])
        pending_jobs.keep(db.session, "app.tasks.demo_tasks.add", [2, 3], {}, "broker down", now)
        db.session.add(
            Notification(
                user_id=ann,
                task_id=task,
                kind="commented",
                message="Bob said hello",
                email_wanted=True,
                created_at=now - timedelta(hours=1),  # far past the batching window
            )
        )
        db.session.commit()
        export_id = waiting_export.id

    first = sweep_owed_work.apply().get()
    assert (handed := queued.take()) == {
        deliver_webhook.name: [(hooks["never_queued"],), (hooks["sender_died"],)],
        export_tasks_async.name: [(export_id,)],
        "app.tasks.demo_tasks.add": [(2, 3)],
        flush_task_notifications.name: [(ann, task)],
    }
    assert (first["webhooks"], first["exports"], first["pending_jobs"], first["activity"]) == (
        2,
        1,
        1,
        1,
    )
    # A second sweep hands the kept job over no more: it was forgotten once sent. The rest has
    # no lease of its own and is queued again until a job takes it; each job's atomic claim
    # (webhooks.delivery.claim, exports.run.claim, the flush's claim of its events) lets one
    # copy do the work.
    second = sweep_owed_work.apply().get()
    assert second["pending_jobs"] == 0
    del handed["app.tasks.demo_tasks.add"]
    assert queued.take() == handed


def test_an_export_whose_worker_died_is_queued_again_once_and_written_from_the_start(
    app, make, queued, tmp_path, monkeypatch
):
    """An export left "running" by a killed worker waited hours for the stale rule. The sweep
    now takes a running export started over a lease ago whose run lock is free, puts it back
    to queued from nothing and queues it; one still held by a live run is left alone. The job
    starts the file over, dropping the dead run's half-written file."""
    export_dir = tmp_path / "exports"
    export_dir.mkdir()
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(export_dir))
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    for n in range(3):
        make.task(project, ann, title=f"Task {n}")
    with app.app_context():
        require(db.engine.dialect.name == "postgresql", "run locks need PostgreSQL")
        an_hour_ago = utcnow() - timedelta(hours=1)
        dead, alive = (
            Export(
                user_id=ann,
                project_id=project,
                format=ExportFormat.CSV,
                filters={},
                status=ExportStatus.RUNNING,
                rows_written=2,
                total_rows=3,
                created_at=an_hour_ago,
                started_at=an_hour_ago,
            )
            for _ in range(2)
        )
        db.session.add_all([dead, alive])
        db.session.commit()
        dead_id, alive_id = dead.id, alive.id
    left_over = export_dir / f".export-{dead_id}-0123456789abcdef.csv.part"
    left_over.write_text("id,title\n1,Task 0\n")

    with app.app_context(), live_runs.run_held(db.engine, run_token(alive_id)) as held:
        assert held
        first = sweep_owed_work.apply().get()
        second = sweep_owed_work.apply().get()
    assert (first["exports_restarted"], second["exports_restarted"]) == (1, 0)
    assert queued.take()[export_tasks_async.name] == [(dead_id,), (dead_id,)]
    with app.app_context():
        states = {
            e.id: (e.status, e.rows_written, e.total_rows, e.started_at)
            for e in db.session.scalars(select(Export))
        }
    assert states[dead_id] == (ExportStatus.QUEUED, 0, None, None)
    assert states[alive_id][0] == ExportStatus.RUNNING

    # The queued job (and a second copy of it, which its claim turns away) writes it anew.
    outcomes = [export_tasks_async.apply(args=(dead_id,)).get() for _ in range(2)]
    assert [o["status"] for o in outcomes] == ["done", "skipped"]
    assert outcomes[0]["rows"] == 3
    assert not left_over.exists()
    with app.app_context():
        done = db.session.get_one(Export, dead_id)
        lines = (export_dir / done.file_path).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4 and done.status == ExportStatus.DONE
