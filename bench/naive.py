"""Part 3: the design most such apps ship, on the same data, indexes and sink.

A loop over people, one query per person for their tasks, a Flask-Mail Message and a new SMTP
connection per email, no fan-out, no ledger. Deliberately naive: SQL inside the loop."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from flask_mail import Message
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.database import utcnow
from app.core.email.ledger import Claimed
from app.digests.content import build_digest
from app.digests.delivery import PreparedEmail
from app.digests.emails import compose
from app.extensions import db
from app.tasklist.models import Task
from bench.report import rate
from bench.samples import KINDS


def send_naively(app: Flask, user_ids: list[int]) -> dict[str, Any]:
    mail = app.extensions["mail"]
    sent = 0
    with app.app_context():
        now = utcnow()
        started = time.perf_counter()
        for user_id in user_ids:
            user = db.session.get(User, user_id)
            tasks = db.session.scalars(
                select(Task)
                .where(Task.assignee_id == user_id, Task.archived_at.is_(None))
                .options(joinedload(Task.project))
                .order_by(Task.due_at)
            ).all()
            for kind in KINDS:
                digest = build_digest(kind, tasks, now, user.timezone)
                if digest is None:
                    continue
                email = compose(PreparedEmail(Claimed(0, user_id, "naive", None, 1), user, digest))
                message = Message(
                    subject=email.content.subject,
                    recipients=[user.email],
                    body=email.content.text,
                    html=email.content.html,
                    extra_headers=email.headers,
                )
                mail.send(message)  # Flask-Mail: a new connection for each message
                sent += 1
        seconds = time.perf_counter() - started
        db.session.remove()
    return {
        "users": len(user_ids),
        "emails": sent,
        "seconds": seconds,
        "emails_per_second": rate(sent, seconds),
    }
