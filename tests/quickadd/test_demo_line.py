"""The issue's example works in the demo workspace `make run` loads: bob is a member's handle
and ops a label of the demo projects."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.demo import load_demo_workspace
from app.extensions import db
from app.projects.models import Project
from app.quickadd.service import read_line
from app.tasklist.models import TaskPriority

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_the_issues_line_reads_whole_in_the_demo_workspace(app):
    with app.app_context():
        load_demo_workspace(db.session, NOW)
        alice = db.session.scalar(select(User).where(User.email == "alice@example.com"))
        for project in db.session.scalars(select(Project)):
            parsed = read_line(
                db.session,
                project.id,
                alice,
                "Call supplier tomorrow 3pm !high @bob #ops",
                ("en",),
                NOW,
            )
            assert parsed.ok, parsed.problems
            assert parsed.title == "Call supplier"
            assert parsed.assignee is not None and parsed.assignee.name == "Bob Builder"
            assert parsed.priority == TaskPriority.HIGH
            assert [label.name for label in parsed.labels] == ["ops"]
            # Alice lives in London: 3pm tomorrow on her clock.
            assert parsed.due_at == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
        db.session.rollback()
