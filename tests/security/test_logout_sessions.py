"""Issue 15.1: logging out ends the session on the server. A session or remember-me cookie
copied before logout (or before "Log out" from another device) is refused afterwards, even to
create a project; the profile lists live sessions; signed-in pages are not cached."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.accounts.session_models import UserSession
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import Project
from tests.conftest import DEFAULT_PASSWORD

LOGIN = {"email": "ann@example.com", "password": DEFAULT_PASSWORD}
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def logged_in(app, user_agent: str = FIREFOX, remember: bool = False):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    data = {**LOGIN, "remember": "y"} if remember else LOGIN
    assert client.post("/login", data=data).status_code == 302
    return client


def with_cookie(app, name: str, value: str):
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def projects_named(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Project).where(Project.name == name)
        )


def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, make):
    make.user(email="ann@example.com")
    client = logged_in(app)
    copied = client.get_cookie("session").value
    assert with_cookie(app, "session", copied).get("/").status_code == 200, "the copy works"
    assert client.post("/logout").status_code == 302
    thief = with_cookie(app, "session", copied)
    assert thief.get("/").status_code == 302
    created = thief.post("/projects/new", data={"name": "Planted", "description": ""})
    assert created.status_code == 302 and "/login" in created.location
    assert projects_named(app, "Planted") == 0


def test_a_remember_cookie_copied_before_logout_is_refused_after_it(app, make):
    make.user(email="ann@example.com")
    client = logged_in(app, remember=True)
    remember = client.get_cookie("remember_token").value
    assert with_cookie(app, "remember_token", remember).get("/").status_code == 200
    client.post("/logout")
    thief = with_cookie(app, "remember_token", remember)
    assert thief.get("/").status_code == 302
    thief.post("/projects/new", data={"name": "Planted", "description": ""})
    assert projects_named(app, "Planted") == 0


def test_the_profile_lists_live_sessions_and_logs_out_one_or_all_others(app, make):
    make.user(email="ann@example.com")
    laptop = logged_in(app, FIREFOX)
    phone = logged_in(app, IPHONE, remember=True)
    tablet = logged_in(app, IPHONE)
    page = laptop.get("/profile").get_data(as_text=True)
    assert (
        "Firefox 128 on Ubuntu" in page
        and page.count("<strong>Mobile Safari 17 on iOS</strong>") == 2
    )
    assert page.count("This device") == 1
    with app.app_context():
        phone_id = db.session.scalars(
            select(UserSession.id).where(UserSession.user_agent.like("%iOS%"))
        ).first()
    # Log the phone out from the laptop: its session and remember cookies stop working.
    revoked = laptop.post(f"/profile/sessions/{phone_id}/revoke")
    assert revoked.status_code == 302
    live = {phone.get("/").status_code, tablet.get("/").status_code}
    assert live == {200, 302}, "exactly one of the two iOS sessions was ended"
    # Then every other session at once; the laptop stays logged in.
    laptop.post("/profile/sessions/revoke-others")
    assert phone.get("/").status_code == 302 and tablet.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    page = laptop.get("/profile").get_data(as_text=True)
    assert "iOS" not in page and page.count("This device") == 1


def test_a_session_of_someone_else_cannot_be_revoked_by_id(app, make):
    make.user(email="ann@example.com")
    make.user(email="bob@example.com")
    bob = app.test_client()
    bob.post("/login", data={"email": "bob@example.com", "password": DEFAULT_PASSWORD})
    ann = logged_in(app)
    with app.app_context():
        # Bob logged in first: his is the oldest session.
        bob_session = db.session.scalar(
            select(UserSession.id).order_by(UserSession.created_at).limit(1)
        )
    assert ann.post(f"/profile/sessions/{bob_session}/revoke").status_code == 404
    assert bob.get("/").status_code == 200


def test_a_password_change_keeps_this_session_and_ends_the_others(app, make):
    make.user(email="ann@example.com")
    here = logged_in(app)
    elsewhere = logged_in(app, IPHONE, remember=True)
    remember = elsewhere.get_cookie("remember_token").value
    changed = here.post(
        "/profile",
        data={
            "password-current_password": DEFAULT_PASSWORD,
            "password-new_password": "a brand new password",
            "password-confirm": "a brand new password",
            "password-submit": "1",
        },
    )
    assert changed.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert with_cookie(app, "remember_token", remember).get("/").status_code == 302


def test_last_seen_is_written_every_few_minutes_not_on_every_page(app, make):
    make.user(email="ann@example.com")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client = logged_in(app)
        client.get("/")
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        client.get("/")
    with app.app_context():
        assert db.session.scalar(select(UserSession.last_seen_at)) == start
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        client.get("/")
    with app.app_context():
        assert db.session.scalar(select(UserSession.last_seen_at)) == start + timedelta(minutes=6)


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(app, make):
    make.user(email="ann@example.com")
    client = app.test_client()
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    client.post("/login", data=LOGIN)
    for path in ("/", "/profile", "/projects/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_remember_cookie_is_same_site_lax(app, make):
    make.user(email="ann@example.com")
    response = app.test_client().post("/login", data={**LOGIN, "remember": "y"})
    [header] = [
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    ]
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    assert {"samesite=lax", "httponly"} <= attributes
