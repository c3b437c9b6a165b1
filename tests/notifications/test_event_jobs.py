"""Task events reach the right people by the channels they chose, batched, through a real worker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.database import utcnow
from app.extensions import db
from app.notifications.jobs import cleanup_expired_notifications
from app.notifications.models import Notification, NotificationKind
from app.notifications.service import Channels, save_choice

pytestmark = pytest.mark.worker

EDIT = {"description": "", "priority": "medium", "due_at": ""}


@pytest.fixture
def team(make, auth, celery_worker):
    """Ann (logged in) owns a project with Bob and Cleo; Ann created a task."""
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    cleo = make.user(email="cleo@example.com", name="Cleo Park")
    project = make.project(ann, name="Launch", members=(bob, cleo))
    task = make.task(project, ann, title="Write the post")
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "cleo": cleo, "project": project, "task": task}


def notifications_of(app, user_id):
    with app.app_context():
        return [
            (n.kind, n.in_app, n.email_wanted)
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user_id))
        ]


def wait_until(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.1)


def edit(client, task, **changes):
    data = {**EDIT, "title": "Write the post", "status": "pending", "assignee_id": "0", **changes}
    response = client.post(f"/task/{task}/edit", data=data)
    assert response.status_code == 302, response.data


def test_assigning_tells_the_assignee_in_the_app_and_by_one_email(app, client, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["bob@example.com"]
    # Subject and From say what happened and who did it; the reply goes to Tickler's address.
    assert message["Subject"] == "Ann Lee assigned you “Write the post”"
    assert message["From"] == "Ann Lee via Tickler <tickler@localhost>"
    assert message["Reply-To"] == "Tickler <tickler@localhost>"
    assert message["List-Id"] == "Tickler task activity <task-activity.localhost>"
    assert "Ann Lee assigned “Write the post” to you" in message.get_body(("plain",)).get_content()
    assert notifications_of(app, team["bob"]) == [("assigned", True, True)]
    assert notifications_of(app, team["ann"]) == [], "never the person who did it"


def test_five_quick_changes_make_one_email(app, client, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    for status in ("in_progress", "blocked", "in_progress", "blocked"):
        edit(client, team["task"], assignee_id=str(team["bob"]), status=status)
    [message] = smtp.wait_for(1)
    time.sleep(3)  # every batching job has run by now
    assert len(smtp.messages) == 1
    text = message.get_body(("plain",)).get_content()
    # Told as the task is at sending time: the assignment and where the status ended up.
    assert "Ann Lee assigned “Write the post” to you" in text
    assert "Ann Lee changed “Write the post” to blocked" in text
    assert text.count("Ann Lee") == 2
    assert len(notifications_of(app, team["bob"])) == 5


def test_a_task_reassigned_within_the_window_tells_the_first_assignee_it_went_away(
    app, client, smtp, team
):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    edit(client, team["task"], assignee_id=str(team["cleo"]))
    by_person = {
        m.envelope_recipients[0]: m.get_body(("plain",)).get_content() for m in smtp.wait_for(2)
    }
    assert "Ann Lee assigned “Write the post” to you" in by_person["cleo@example.com"]
    bobs = by_person["bob@example.com"]
    assert "assigned “Write the post” to you" not in bobs
    assert "“Write the post” was reassigned to Cleo Park; it is no longer yours" in bobs


def test_a_status_changed_and_changed_back_within_the_window_is_no_news(app, client, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    smtp.wait_for(1)
    smtp.handler.reset()
    edit(client, team["task"], assignee_id=str(team["bob"]), status="blocked")
    edit(client, team["task"], assignee_id=str(team["bob"]), status="pending")
    client.post(f"/task/{team['task']}/comments", data={"body": "False alarm, carry on."})
    [message] = smtp.wait_for(1)
    time.sleep(3)  # every batching job has run by now
    assert len(smtp.messages) == 1
    text = message.get_body(("plain",)).get_content()
    assert "Ann Lee commented on “Write the post”: False alarm, carry on." in text
    assert "changed" not in text


def test_emails_about_one_task_thread_together(app, client, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    smtp.wait_for(1)
    time.sleep(2.5)
    edit(client, team["task"], assignee_id=str(team["bob"]), status="blocked")
    first, second = smtp.wait_for(2)
    assert first["References"] == second["References"] == f"<task-{team['task']}@localhost>"
    assert first["In-Reply-To"] == first["References"]
    assert first["Message-ID"] != second["Message-ID"]


def test_a_mention_and_a_comment_reach_the_right_people(app, client, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    smtp.wait_for(1)
    smtp.handler.reset()
    client.post(
        f"/task/{team['task']}/comments",
        data={"body": "@cleo can you review? https://example.com/draft"},
    )
    messages = smtp.wait_for(2)
    by_person = {m.envelope_recipients[0]: m.get_body(("plain",)).get_content() for m in messages}
    assert set(by_person) == {"bob@example.com", "cleo@example.com"}
    assert "Ann Lee mentioned you" in by_person["cleo@example.com"]
    assert "Ann Lee commented on" in by_person["bob@example.com"]
    page = client.get(f"/task/{team['task']}").data.decode()
    assert '<a href="https://example.com/draft" rel="nofollow noopener noreferrer">' in page


def test_people_choose_the_channel(app, client, smtp, team):
    with app.app_context():
        save_choice(
            db.session, team["bob"], NotificationKind.ASSIGNED, Channels(email=False, in_app=True)
        )
        save_choice(
            db.session, team["cleo"], NotificationKind.STATUS_CHANGED, Channels(False, False)
        )
        db.session.commit()
    client.post(f"/task/{team['task']}/watch", data={"watch": "1"})
    edit(client, team["task"], assignee_id=str(team["bob"]))
    time.sleep(3)
    assert smtp.messages == []
    assert notifications_of(app, team["bob"]) == [("assigned", True, False)]


def test_a_rolled_back_change_sends_nothing(app, client, smtp, team, make):
    outsider = make.user(email="out@example.com")
    response = client.post(
        f"/task/{team['task']}/edit",
        data={**EDIT, "title": "Write the post", "status": "blocked", "assignee_id": str(outsider)},
    )
    assert response.status_code == 200
    time.sleep(3)
    assert smtp.messages == []
    with app.app_context():
        assert db.session.scalar(select(Notification.id)) is None


def test_completing_through_the_worker_tells_the_creator(app, client, smtp, auth, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    smtp.wait_for(1)
    smtp.handler.reset()
    auth.logout()
    auth.login("bob@example.com")
    client.post(f"/task/{team['task']}/complete")
    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert (
        "Bob Builder changed “Write the post” to completed"
        in message.get_body(("plain",)).get_content()
    )


def test_inbox_bell_open_and_mark_all_read(app, client, auth, smtp, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    edit(client, team["task"], assignee_id=str(team["bob"]), status="blocked")
    wait_until(lambda: len(notifications_of(app, team["bob"])) == 2)
    auth.logout()
    auth.login("bob@example.com")
    page = client.get("/").data.decode()
    assert 'aria-label="Notifications, 2 unread"' in page
    inbox = client.get("/notifications/").data.decode()
    assert inbox.index("changed “Write the post” to blocked") < inbox.index(
        "assigned “Write the post”"
    )
    with app.app_context():
        first = db.session.scalar(
            select(Notification.id).where(Notification.user_id == team["bob"])
        )
    assert client.post(f"/notifications/{first}/open").location == f"/task/{team['task']}"
    assert 'aria-label="Notifications, 1 unread"' in client.get("/").data.decode()
    client.post("/notifications/read")
    assert 'aria-label="Notifications, 0 unread"' in client.get("/").data.decode()


def test_nobody_opens_another_persons_notification(app, client, auth, team):
    edit(client, team["task"], assignee_id=str(team["bob"]))
    wait_until(lambda: notifications_of(app, team["bob"]))
    with app.app_context():
        bobs = db.session.scalar(select(Notification.id))
    assert client.post(f"/notifications/{bobs}/open").status_code == 404


def test_old_notifications_are_cleaned_up_after_90_days(app, team):
    with app.app_context():
        for age in (91, 10):
            db.session.add(
                Notification(
                    user_id=team["bob"],
                    kind="assigned",
                    task_id=team["task"],
                    message="x",
                    created_at=utcnow() - timedelta(days=age),
                )
            )
        db.session.commit()
    assert cleanup_expired_notifications.delay().get(timeout=15) == {"deleted": 1}


def test_one_click_unsubscribe_from_an_assignment_email_stops_assignment_emails_only(
    app, client, smtp, team
):
    """Issue 18: the link used to turn off all seven kinds; now it turns off the email's kind."""
    edit(client, team["task"], assignee_id=str(team["bob"]))
    [message] = smtp.wait_for(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    one_click = app.test_client().post(
        link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    smtp.handler.reset()
    edit(client, team["task"], assignee_id=str(team["bob"]), status="blocked")
    [status_email] = smtp.wait_for(1)
    assert status_email.envelope_recipients == ["bob@example.com"]
    assert "changed “Write the post” to blocked" in status_email.get_body(("plain",)).get_content()
    assert ("status_changed", True, True) in notifications_of(app, team["bob"])
    # Unassigned and assigned again: in the inbox, never by email.
    smtp.handler.reset()
    edit(client, team["task"], assignee_id="0", status="blocked")
    edit(client, team["task"], assignee_id=str(team["bob"]), status="blocked")
    time.sleep(3)
    assert smtp.messages == []
    assert notifications_of(app, team["bob"]).count(("assigned", True, False)) == 1
