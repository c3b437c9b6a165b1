"""The sweep: rows the ledger says are owed and nobody holds are found, handed on and queued
again; live claims and fresh rows are left alone; abandoned run records end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Delivery, DeliveryStatus, EmailKind, JobRun
from app.services import job_runs, ledger, owed_work

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


def test_a_run_left_running_by_a_lost_worker_or_database_ends_as_interrupted(app):
    with app.app_context():
        db.session.add_all(
            [
                JobRun(job="old", started_at=NOW - timedelta(hours=3), outcome="running"),
                JobRun(job="now", started_at=NOW - timedelta(minutes=5), outcome="running"),
            ]
        )
        db.session.commit()
        assert job_runs.end_abandoned_runs(db.session, NOW) == 1
        db.session.commit()
        outcomes = dict(db.session.execute(select(JobRun.job, JobRun.outcome)).all())
    assert outcomes == {"old": "interrupted", "now": "running"}
