"""An activity email about comments shows them whole: Markdown rendered in the HTML part, the
Markdown source in the text part."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.comments.models import Comment
from app.extensions import db
from app.notifications.emails import compose_activity
from app.notifications.jobs import read_batch
from app.notifications.models import Notification, NotificationKind
from app.tasklist.models import Task

BODY = "@bob please **check** these:\n\n- the `prices`\n- the [draft](https://example.com/d)"


@pytest.fixture
def team(make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Paint the shed", assignee_id=bob)
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def notify_of_comments(team: dict, bodies: list[str]) -> list[Notification]:
    comments = [Comment(task_id=team["task"], author_id=team["ann"], body=b) for b in bodies]
    db.session.add_all(comments)
    db.session.flush()
    notifications = [
        Notification(
            user_id=team["bob"],
            kind=NotificationKind.COMMENTED.value,
            task_id=team["task"],
            actor_id=team["ann"],
            comment_id=comment.id,
            message=f"Ann commented on “Paint the shed”: {comment.body[:40]}",
        )
        for comment in comments
    ]
    db.session.add_all(notifications)
    db.session.commit()
    return notifications


def test_the_html_part_renders_the_comment_and_the_text_part_keeps_its_source(app, team):
    with app.app_context():
        batch = read_batch(notify_of_comments(team, [BODY]))
        email = compose_activity(
            db.session.get(User, team["bob"]),
            db.session.get(Task, team["task"]),
            [n.message for n in db.session.scalars(db.select(Notification))],
            comments=batch.shown_comments,
        )
    html, text = email.content.html, email.content.text
    assert "<strong" in html and ">check</strong>" in html
    assert "<li" in html and ">prices</code>" in html
    assert 'href="https://example.com/d"' in html and "nofollow" in html
    assert "Ann wrote:" in text and BODY in text
    # A mention links to the person's tasks in the project, absolute for a mail program.
    mention = re.search(r'<a [^>]*class="mention"[^>]*>@bob</a>', html)
    assert mention is not None
    href = re.search(r'href="([^"]+)"', mention[0])
    assert href is not None and href[1].startswith("http")
    assert href[1].endswith(f"/projects/{team['project']}/tasks?assignee={team['bob']}")


def test_the_comments_of_a_batch_are_read_in_statements_that_do_not_grow(app, team, count_queries):
    with app.app_context():
        few = notify_of_comments(team, ["one"])
        many = notify_of_comments(team, [f"comment {n}" for n in range(12)])
    with app.app_context():
        rows = db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
        first, rest = rows[: len(few)], rows[len(few) :]
        # The rows' task and actor, loaded once as the claim loads them: only comments remain.
        read_batch(first), read_batch(rest)
        with count_queries() as one:
            assert len(read_batch(first).shown_comments) == 1
        with count_queries() as twelve:
            assert [c.body for c in read_batch(rest).shown_comments][-1] == "comment 11"
    assert len(twelve) == len(one)
    assert len(many) == 12
