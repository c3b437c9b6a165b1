"""Domain events: the subscriber registry, and subscribers acting inside the change's
transaction (their rows and after-commit jobs go with its commit, and with its rollback)."""

from __future__ import annotations

import ast
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core import events, pending_jobs
from app.core.events import CommentAdded, TaskAssigned, TaskSnapshot, changed_fields
from app.core.models import PendingJob
from app.core.queueing import after_commit
from app.extensions import db

APP = Path(__file__).resolve().parents[2] / "app"
COMMENT = CommentAdded(comment_id=1, task_id=2, project_id=3, author_id=4)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty registry of the test's own: the app's subscribers stay out of it."""
    monkeypatch.setattr(events, "_subscribers", {})


class FakeJob:
    """A Celery task stand-in: records what the outbox sends it, needs no broker."""

    name = "tests.fake_job"

    def __init__(self) -> None:
        self.sent: list[tuple[tuple, dict]] = []

    def delay(self, *args: Any, **kwargs: Any) -> str:
        self.sent.append((args, kwargs))
        return "sent"


def snapshot(**fields: Any) -> TaskSnapshot:
    values: dict[str, Any] = dict(
        title="T", description="", status="pending", priority="medium", due_at=None, assignee_id=1
    )
    values.update(fields)
    return TaskSnapshot(**values)


def test_each_subscriber_of_the_event_type_hears_it_in_order(registry):
    heard: list[str] = []
    events.subscribe(CommentAdded, lambda session, event: heard.append(f"first {event.comment_id}"))
    events.subscribe(CommentAdded, lambda session, event: heard.append(f"second {event.task_id}"))
    events.subscribe(TaskAssigned, lambda session, event: heard.append("not this one"))
    events.record(None, COMMENT)  # type: ignore[arg-type]
    assert heard == ["first 1", "second 2"]


def test_subscribing_the_same_handler_twice_calls_it_once(registry):
    heard: list[object] = []

    def handler(session: object, event: object) -> None:
        heard.append(event)

    events.subscribe(CommentAdded, handler)
    events.subscribe(CommentAdded, handler)  # a second create_app in the same process
    events.record(None, COMMENT)  # type: ignore[arg-type]
    assert heard == [COMMENT]
    assert events.subscribers_of(CommentAdded) == [handler]


def test_an_event_nobody_subscribes_to_is_recorded_quietly(registry):
    events.record(None, COMMENT)  # type: ignore[arg-type]


def test_a_failing_subscriber_fails_the_change(registry):
    def broken(session: object, event: object) -> None:
        raise RuntimeError("subscriber broke")

    events.subscribe(CommentAdded, broken)
    with pytest.raises(RuntimeError, match="subscriber broke"):
        events.record(None, COMMENT)  # type: ignore[arg-type]


def test_events_are_frozen_and_name_what_changed():
    with pytest.raises(FrozenInstanceError):
        COMMENT.comment_id = 5  # type: ignore[misc]
    before = snapshot()
    after = snapshot(status="completed", assignee_id=2)
    assert changed_fields(before, after) == {"status", "assignee_id"}
    assert changed_fields(before, snapshot()) == frozenset()


def write_and_queue(job: FakeJob):
    """A subscriber that writes a row in the change's transaction and queues a job after it."""

    def subscriber(session: Any, event: CommentAdded) -> None:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        pending_jobs.keep(session, f"row for comment {event.comment_id}", [], {}, "", now)
        after_commit(session, job, event.comment_id, kind="comment")

    return subscriber


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(PendingJob))


def test_a_committed_change_keeps_its_subscribers_rows_and_sends_their_jobs(app, registry):
    job = FakeJob()
    events.subscribe(CommentAdded, write_and_queue(job))
    with app.app_context():
        events.record(db.session, COMMENT)
        assert job.sent == [], "nothing is queued before the commit"
        db.session.commit()
        assert job.sent == [((1,), {"kind": "comment"})]
        assert rows() == 1


def test_a_rolled_back_change_drops_its_subscribers_rows_and_jobs(app, registry):
    job = FakeJob()
    events.subscribe(CommentAdded, write_and_queue(job))
    with app.app_context():
        events.record(db.session, COMMENT)
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # a later commit of the same session sends nothing either
        assert job.sent == []
        assert rows() == 0


def imported_modules_of(path: Path) -> set[str]:
    """Every module one file imports, read from its source (nothing is run), at any depth
    (a function-level import counts too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imported_modules(package: Path) -> set[str]:
    return {name for path in package.rglob("*.py") for name in imported_modules_of(path)}


@pytest.mark.parametrize("package", ["tasklist", "comments", "actions"])
def test_the_task_features_do_not_import_webhooks_or_notifications(package):
    imported = imported_modules(APP / package)
    listeners = [
        name
        for name in imported
        if name.split(".")[:2] in (["app", "webhooks"], ["app", "notifications"])
    ]
    assert listeners == [], f"app/{package} should record events, not call {listeners}"


@pytest.mark.parametrize("module", ["events.py", "queueing.py", "pending_jobs.py", "models.py"])
def test_the_event_outbox_in_core_imports_no_feature(module):
    features = {path.parent.name for path in APP.glob("*/__init__.py")} - {"core"}
    imported = imported_modules_of(APP / "core" / module)
    reaching = sorted(
        name for name in imported if name.startswith("app.") and name.split(".")[1] in features
    )
    assert reaching == []
