"""@mentions: highlighted for members, unknown names told to the writer, notifications open
the comment itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from app.accounts.models import User
from app.comments.models import Comment
from app.extensions import db
from app.notifications.emails import compose_activity, first_comment
from app.notifications.jobs import send_comment_mention_notification
from app.notifications.models import Notification
from app.tasklist.models import Task
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def team(make, auth):
    with time_machine.travel(NOW, tick=False):
        ann = make.user(email="ann@example.com", name="Ann Lee")
        bob = make.user(email="bob@example.com", name="Bob Builder")
        project = make.project(ann, members=(bob,))
        task = make.task(project, ann, title="Paint the shed", assignee_id=ann)
        auth.login("ann@example.com")
        yield {"ann": ann, "bob": bob, "project": project, "task": task}


def post_comment(client, task: int, body: str):
    with time_machine.travel(NOW, tick=False):
        return client.post(f"/task/{task}/comments", data={"body": body}, follow_redirects=True)


def test_a_mention_of_nobody_is_told_to_the_writer(client, team):
    page = post_comment(client, team["task"], "@bob, and @nobody. Also @Bob again.").data.decode()
    assert "No member called @nobody in this project; nobody was notified for it." in page
    assert "No member called @bob" not in page and "No member called @Bob" not in page


def test_mentions_of_members_are_highlighted_and_everything_stays_escaped(client, team):
    body = "@bob.builder see <b>this</b> https://example.com/x?a=1&b=2 @nobody @ann@example.com"
    post_comment(client, team["task"], body)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/task/{team['task']}").data.decode()
    comment = re.search(r'<div class="comment-body markdown">(.*?)</div>', page, flags=re.S)[1]
    # A mention links to the person's tasks in the project (Markdown, app/core/web/markdown.py).
    bob_tasks = f"/projects/{team['project']}/tasks?assignee={team['bob']}"
    ann_tasks = f"/projects/{team['project']}/tasks?assignee={team['ann']}"
    assert f'<a href="{bob_tasks}" class="mention"' in comment
    assert re.search(r'class="mention"[^>]*>@bob\.builder</a>', comment)
    assert f'<a href="{ann_tasks}" class="mention"' in comment
    assert re.search(r'class="mention"[^>]*>@ann@example\.com</a>', comment)
    assert "@nobody" in comment and 'class="mention">@nobody' not in comment
    assert "&lt;b&gt;this&lt;/b&gt;" in comment
    assert 'href="https://example.com/x?a=1&amp;b=2"' in comment


def test_a_mention_notification_opens_the_comment_in_the_inbox_and_the_email(app, client, team):
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    with app.app_context():
        comment = Comment(task_id=team["task"], author_id=team["ann"], body="@bob can you?")
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
    send_comment_mention_notification(comment_id)
    with app.app_context():
        notification = db.session.scalar(
            db.select(Notification).where(Notification.user_id == team["bob"])
        )
        assert notification.comment_id == comment_id
        email = compose_activity(
            db.session.get(User, team["bob"]),
            db.session.get(Task, team["task"]),
            [notification.message],
            first_comment([notification]),
        )
        notification_id = notification.id
    assert f"/task/{team['task']}#comment-{comment_id}" in email.content.text
    assert f"/task/{team['task']}#comment-{comment_id}" in email.content.html
    client.post("/logout")
    with time_machine.travel(NOW, tick=False):
        client.post(
            "/login", data={"email": "bob@example.com", "password": "correct horse battery"}
        )
        opened = client.post(f"/notifications/{notification_id}/open")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/task/{team['task']}#comment-{comment_id}")
