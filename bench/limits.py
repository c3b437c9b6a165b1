"""Part 2: the limits our rate is measured against, in the same run.

The sink's own rate for pre-rendered messages over one connection, and the render rate of
the same templates (compose + MIME bytes) with no SMTP at all."""

from __future__ import annotations

import smtplib
import time
from typing import Any

from flask import Flask

from app.core.database import utcnow
from app.core.email.send import new_message_id, to_mime
from app.digests.emails import compose
from app.extensions import db
from bench.report import rate
from bench.samples import prepared_sample


def rendered_sample(app: Flask, user_ids: list[int]) -> tuple[list[bytes], dict[str, Any]]:
    """The sample's emails as MIME bytes, and how fast they were made (database excluded)."""
    with app.app_context():
        prepared = prepared_sample(db.session, user_ids, utcnow())
        sender = app.config["MAIL_DEFAULT_SENDER"]
        started = time.perf_counter()
        mimes = [to_mime(compose(item), sender, new_message_id()) for item in prepared]
        seconds = time.perf_counter() - started
        db.session.remove()
    sizes = [len(m) for m in mimes]
    return mimes, {
        "emails": len(mimes),
        "seconds": seconds,
        "emails_per_second": rate(len(mimes), seconds),
        "ms_per_email": 1000 * seconds / len(mimes) if mimes else 0.0,
        "mean_bytes": sum(sizes) / len(sizes) if sizes else 0,
    }


def sink_rate(port: int, messages: list[bytes], count: int) -> dict[str, Any]:
    """Send `count` pre-rendered messages over one persistent connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for n in range(count):
            smtp.sendmail(
                "bench@bench.example", ["limit@bench.example"], messages[n % len(messages)]
            )
    seconds = time.perf_counter() - started
    return {"emails": count, "seconds": seconds, "emails_per_second": rate(count, seconds)}
