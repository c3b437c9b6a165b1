"""Sessions end when they should; signed links refuse tampering, age and reuse; emailed links
come from APP_BASE_URL whatever Host the request named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.accounts import tokens
from app.accounts.emails import compose_account_email
from app.accounts.models import User
from app.actions.links import issue as issue_action_link
from app.core.database import utcnow
from app.extensions import db
from app.preferences import service as preference_rules
from app.preferences.models import EmailChoice
from app.projects.models import MemberRole, ProjectMember
from app.tasklist.models import Task, TaskStatus
from tests.conftest import DEFAULT_PASSWORD, wait_for_earlier_jobs
from tests.security.snapshots import changed_tables, database_fingerprint

LOGIN = {"email": "ann@example.com", "password": DEFAULT_PASSWORD}


def test_passwords_are_hashed_with_scrypt():
    user = User(email="x@example.com", name="X")
    user.set_password("a long password")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a long password") and not user.check_password("a long passwore")


def test_a_cookie_from_before_login_is_not_the_logged_in_session(app, make):
    make.user(email="ann@example.com")
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by whoever handed the cookie over"
    before = client.get_cookie("session").value
    assert client.post("/login", data=LOGIN).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    replay = app.test_client()
    replay.set_cookie("session", before)
    assert replay.get("/").status_code == 302, "the pre-login cookie is not logged in"
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_password_change_ends_other_sessions_and_remember_cookies(app, make, client):
    make.user(email="ann@example.com")
    client.post("/login", data={**LOGIN, "remember": "y"})
    remember = client.get_cookie("remember_token").value
    by_cookie = app.test_client()
    by_cookie.set_cookie("remember_token", remember)
    assert by_cookie.get("/").status_code == 200, "the remember cookie logs in"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ann@example.com"))
        user.set_password("a brand new password")
        db.session.commit()
    assert client.get("/").status_code == 302, "the session from before is over"
    stale = app.test_client()
    stale.set_cookie("remember_token", remember)
    assert stale.get("/").status_code == 302, "and so is the remember cookie"


@pytest.fixture
def ann(app, make, world):
    """Ann is on team B with a task of her own, and has links of every kind."""
    ann_id = make.user(email="ann@example.com")
    task_id = make.task(world.b.project_id, world.b.owner_id, assignee_id=ann_id)
    with app.app_context():
        db.session.add(
            ProjectMember(project_id=world.b.project_id, user_id=ann_id, role=MemberRole.MEMBER)
        )
        db.session.commit()
    return {"id": ann_id, "task": task_id}


def links_for(app, ann) -> dict[str, str]:
    secret = app.config["SECRET_KEY"]
    with app.app_context():
        user = db.session.get(User, ann["id"])
        return {
            "reset": "/reset-password/" + tokens.issue(secret, tokens.PASSWORD_RESET, user),
            "verify": "/verify-email/" + tokens.issue(secret, tokens.EMAIL_VERIFICATION, user),
            "action": "/actions/" + issue_action_link(secret, user.id, ann["task"], "done"),
            "unsubscribe": "/unsubscribe/"
            + preference_rules.unsubscribe_token(secret, user.id, "task_reminder"),
        }


# How long each kind of link lives, plus a minute.
LIFETIMES = {
    "reset": tokens.MAX_AGE[tokens.PASSWORD_RESET],
    "verify": tokens.MAX_AGE[tokens.EMAIL_VERIFICATION],
    "action": 7 * 24 * 3600,
    "unsubscribe": preference_rules.UNSUBSCRIBE_MAX_AGE,
}


def tampered(link: str) -> str:
    head, token = link.rsplit("/", 1)
    payload, rest = token.split(".", 1)
    # Flip one character of the signed payload, keeping the signature.
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    return f"{head}/{flipped}.{rest}"


def post_or_get(client, kind: str, link: str):
    if kind in ("action", "unsubscribe", "verify"):
        return client.post(link)
    if kind == "reset":
        return client.post(link, data={"new_password": "x" * 12, "confirm": "x" * 12})
    return client.get(link)


@pytest.mark.parametrize("kind", sorted(LIFETIMES))
def test_altered_or_expired_links_are_refused_and_change_nothing(app, client, ann, kind):
    link = links_for(app, ann)[kind]
    wait_for_earlier_jobs(app)  # no earlier test's job writes (task_runs) while we compare
    before = database_fingerprint(app)
    assert post_or_get(client, kind, tampered(link)).status_code == 400
    later = utcnow().timestamp() + LIFETIMES[kind] + 60
    with time_machine.travel(later, tick=False):
        expired = post_or_get(client, kind, link)
    assert expired.status_code == 400 and b"expired" in expired.data.lower()
    assert changed_tables(before, database_fingerprint(app)) == []


def test_a_link_for_one_purpose_does_not_work_for_another(app, client, ann):
    links = links_for(app, ann)
    verify_token = links["verify"].rsplit("/", 1)[1]
    assert client.get("/reset-password/" + verify_token).status_code == 400
    assert client.post("/actions/" + verify_token).status_code == 400
    assert client.post("/unsubscribe/" + verify_token).status_code == 400


def test_used_links_are_refused_the_second_time(app, ann):
    links = links_for(app, ann)
    client = app.test_client()
    assert post_or_get(client, "reset", links["reset"]).status_code == 302
    again = app.test_client().get(links["reset"])
    assert again.status_code == 400 and b"already been used" in again.data
    assert client.post(links["verify"]).status_code == 302
    # The reset queued a password-changed email; the worker's record of that job must not be
    # taken for a change made by the visits below.
    wait_for_earlier_jobs(app)
    # A used confirmation link says so, and offers to log in; it changes nothing more.
    before = database_fingerprint(app)
    assert b"already confirmed" in client.get(links["verify"]).data
    assert b"already confirmed" in client.post(links["verify"]).data
    assert changed_tables(before, database_fingerprint(app)) == []
    assert b"is marked as done" in client.post(links["action"]).data
    with app.app_context():
        assert db.session.get(Task, ann["task"]).status == TaskStatus.COMPLETED
    used = client.post(links["action"])
    assert b"already been used" in used.data


def test_an_unsubscribe_link_used_twice_changes_nothing_more(app, client, ann):
    """RFC 8058: mail clients may POST the one-click link more than once; the second is a no-op
    rather than an error, and it cannot undo a later re-subscription's effect twice over."""
    link = links_for(app, ann)["unsubscribe"]
    assert client.post(link).status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(EmailChoice).where(EmailChoice.user_id == ann["id"]))
        assert rows.all(), "the first use unsubscribed"
    wait_for_earlier_jobs(app)  # no earlier test's job writes (task_runs) while we compare
    before = database_fingerprint(app)
    assert client.post(link).status_code == 200
    assert changed_tables(before, database_fingerprint(app)) == []


def test_an_action_link_stops_working_once_its_person_leaves_the_team(app, client, ann, world):
    link = links_for(app, ann)["action"]
    auth_client = app.test_client()
    auth_client.post("/login", data={"email": world.b.owner_email, "password": DEFAULT_PASSWORD})
    response = auth_client.post(f"/projects/{world.b.project_id}/members/{ann['id']}/remove")
    assert response.status_code == 302
    refused = client.post(link)
    assert refused.status_code == 400 and b"no longer applies" in refused.data
    with app.app_context():
        assert db.session.get(Task, ann["task"]).status == TaskStatus.PENDING


def test_emailed_links_ignore_the_requests_host_header(app, make):
    """Even composed inside a request that named an attacker's host, the link is APP_BASE_URL's."""
    ann_id = make.user(email="ann@example.com")
    base = app.config["APP_BASE_URL"].rstrip("/")
    with app.test_request_context("/forgot-password", base_url="http://evil.test"):
        user = db.session.get(User, ann_id)
        email = compose_account_email(tokens.PASSWORD_RESET, user)
    links = re.findall(r"https?://[^\s\"'<>]+", email.content.text + email.content.html)
    assert links and all(link.startswith(base + "/") for link in links), links
    assert "evil.test" not in email.content.text + email.content.html


@pytest.mark.worker
def test_a_reset_asked_for_under_an_attackers_host_mails_our_address(
    app, client, make, smtp, celery_worker
):
    make.user(email="ann@example.com")
    response = client.post(
        "/forgot-password",
        data={"email": "ann@example.com"},
        base_url="http://evil.test",
        headers={"X-Forwarded-Host": "evil.test"},
    )
    assert response.status_code == 302
    [message] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert "evil.test" not in message.as_string()
    base = app.config["APP_BASE_URL"].rstrip("/")
    assert re.search(re.escape(base) + r"/reset-password/\S+", text)


def test_reset_link_lifetime_is_an_hour():
    assert tokens.MAX_AGE[tokens.PASSWORD_RESET] == 3600
    assert timedelta(seconds=LIFETIMES["action"]) == timedelta(days=7)
