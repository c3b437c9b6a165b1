"""The demo workspace `make run` loads: people, tasks, and something of every feature."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db
from app.recurring.models import RecurringSeries
from app.recurring.occurrences import create_due
from app.tasklist.models import Task


def test_seed_demo_loads_people_tasks_and_recurring_series_once(app):
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
        assert "alice@example.com  password: tickler-demo" in result.output
        assert "already has users" in runner.invoke(args=["seed-demo"]).output

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 3
        series = list(db.session.scalars(db.select(RecurringSeries)))
        assert {s.title for s in series} == {
            "Post the weekly status update",
            "Check the uptime dashboard",
        }
        # Within a week both chores have come round at least once.
        created = create_due(db.session, utcnow() + timedelta(days=7), timedelta(hours=24), 50)
        db.session.commit()
        assert created.created
        finished = db.session.scalars(
            db.select(Task.completed_at).where(Task.completed_at.is_not(None))
        ).all()
        weeks = {(utcnow() - moment).days // 7 for moment in finished}
        assert len(weeks) >= 10, "ten weeks of history for the analytics charts"
        titles = set(db.session.scalars(db.select(Task.title).where(Task.series_id.is_not(None))))
        assert titles == {s.title for s in series}
