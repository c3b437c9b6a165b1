"""Running a digest job through the real worker and waiting until its emails are settled."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import func, select

from app.core.email.models import Delivery, DeliveryStatus
from app.extensions import db

SETTLED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)


def settled_count(app: Any, kind: str | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(Delivery).where(Delivery.status.in_(SETTLED))
        if kind:
            query = query.where(Delivery.kind == kind)
        return db.session.scalar(query)


def wait_settled(app: Any, expected: int, kind: str | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while settled_count(app, kind) < expected:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"only {settled_count(app, kind)} of {expected} deliveries settled"
            )
        time.sleep(0.1)


def run_job(app: Any, task: Any, timeout: float = 30.0, **kwargs: Any) -> dict:
    """Queue a job, wait for it, then for every email it fanned out."""
    before = settled_count(app)
    result = task.delay(**kwargs).get(timeout=timeout)
    wait_settled(app, before + result.get("recipients", result.get("admins", 0)), timeout=timeout)
    return result


def deliveries(app: Any) -> list[Delivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(Delivery).order_by(Delivery.id)))
        for row in rows:
            db.session.expunge(row)
        return rows
