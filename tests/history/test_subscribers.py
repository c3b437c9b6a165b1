"""Each domain event writes its history rows in the change's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.comments import service as comment_rules
from app.core import events
from app.core.events import (
    TaskArchived,
    TaskDeleted,
    TaskLabelsChanged,
    TaskRestored,
    TaskUnarchived,
)
from app.extensions import db
from app.history import rules
from app.history.models import TaskActivity
from app.tasklist import service as task_rules
from app.tasklist.models import Task, TaskPriority, TaskStatus
from tests.task_fields import fields


@pytest.fixture
def team(make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    return {"ann": ann, "bob": bob, "project": project}


def rows(task_id: int) -> list[TaskActivity]:
    return list(
        db.session.scalars(
            select(TaskActivity).where(TaskActivity.task_id == task_id).order_by(TaskActivity.id)
        )
    )


def sentences(task_id: int) -> list[str]:
    return [rules.sentence(row, "UTC") for row in rows(task_id)]


def create(team: dict, **changes: object) -> Task:
    ann = db.session.get(User, team["ann"])
    task = task_rules.create_task(
        db.session, project_id=team["project"], creator=ann, fields=fields(**changes)
    )
    db.session.commit()
    return task


def test_creating_a_task_writes_who_created_it(app, team):
    with app.app_context():
        task = create(team)
        [row] = rows(task.id)
        assert (row.kind, row.actor_id, row.actor_name) == ("created", team["ann"], "Ann")
        assert row.project_id == team["project"]


def test_an_edit_writes_one_row_per_field_with_names_at_the_time(app, team):
    with app.app_context():
        task = create(team)
        due = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
        edited = fields(
            title="Ship it today",
            description="Now with **notes**",
            status=TaskStatus.IN_PROGRESS,
            priority=TaskPriority.HIGH,
            due_at=due,
            assignee_id=team["bob"],
        )
        task_rules.update_task(db.session, task, edited, actor_id=team["ann"])
        db.session.commit()
        # Bob renames himself later: the history still says who it was then.
        db.session.get(User, team["bob"]).name = "Robert"
        db.session.commit()
        assert sentences(task.id)[1:] == [
            "Ann renamed it from “Ship it” to “Ship it today”",
            "Ann moved it from Pending to In progress",
            "Ann assigned it to Bob",
            "Ann set the due date to Mon 07 Dec 2026, 09:00",
            "Ann changed the priority from Medium to High",
            "Ann edited the description",
        ]
        assignee_row = rows(task.id)[3]
        assert (assignee_row.old_id, assignee_row.new_id) == (None, team["bob"])


def test_a_change_by_nobody_is_told_as_tickler(app, team):
    with app.app_context():
        task = create(team)
        task_rules.update_task(db.session, task, fields(status=TaskStatus.BLOCKED), actor_id=None)
        db.session.commit()
        assert sentences(task.id)[-1] == "Tickler moved it from Pending to Blocked"


def test_a_rolled_back_change_writes_no_history(app, team):
    with app.app_context():
        task = create(team)
        task_rules.update_task(db.session, task, fields(title="Never"), actor_id=team["ann"])
        db.session.rollback()
        assert [row.kind for row in rows(task.id)] == ["created"]


def test_trash_archive_and_labels_events_write_their_rows(app, team):
    with app.app_context():
        task = create(team)
        ids = (task.id, team["project"])
        for event in (
            TaskLabelsChanged(*ids, team["bob"], ("Bug",), ()),
            TaskDeleted(*ids, team["ann"]),
            TaskRestored(*ids, team["bob"]),
            TaskArchived(*ids, None),
            TaskUnarchived(*ids, team["ann"]),
        ):
            events.record(db.session, event)
        db.session.commit()
        assert sentences(task.id)[1:] == [
            "Bob added the label Bug",
            "Ann moved it to the Trash",
            "Bob restored it from the Trash",
            "Tickler archived it",
            "Ann brought it back from the archive",
        ]


def test_a_comment_writes_its_first_words_and_its_id(app, team):
    with app.app_context():
        task = create(team)
        bob = db.session.get(User, team["bob"])
        comment = comment_rules.add_comment(db.session, task, bob, "Done on *my* side.")
        db.session.commit()
        row = rows(task.id)[-1]
        assert (row.kind, row.new_id, row.actor_name) == ("commented", comment.id, "Bob")
        assert rules.sentence(row, "UTC") == "Bob commented: “Done on my side.”"


def test_many_events_by_one_person_read_their_name_once(app, team, count_queries):
    with app.app_context():
        tasks = [create(team) for _ in range(8)]
        ids = [(task.id, team["project"]) for task in tasks]
        db.session.commit()
        with count_queries() as statements:
            for task_ids in ids:
                events.record(db.session, TaskArchived(*task_ids, team["bob"]))
            db.session.commit()
        user_reads = [s for s in statements if "FROM users" in s]
        assert len(user_reads) == 1
        assert {row.actor_name for task in tasks for row in rows(task.id)[1:]} == {"Bob"}
