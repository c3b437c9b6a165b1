"""Adding members by invitation (issue 15.5): the owner's page answers alike for any address it
does not already work with; the emailed link's page asks before it accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.projects import invitations
from app.projects.invitation_models import ProjectInvitation
from app.projects.models import ProjectMember

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENT = "We&#39;ve emailed an invitation to {}. They join the project when they accept it."


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, tuple]]:
    """The jobs the members page queues, by name and arguments."""
    jobs: list[tuple[str, tuple]] = []
    monkeypatch.setattr(
        "app.projects.views.queue", lambda task, *args: jobs.append((task.name, args))
    )
    return jobs


def confirm(app: Flask, user_id: int) -> None:
    with app.app_context():
        db.session.get(User, user_id).email_verified_at = NOW - timedelta(days=30)
        db.session.commit()


def sent_link(app: Flask, project_id: int, email: str, inviter_id: int, now=NOW) -> str:
    """An invitation as the worker leaves it once emailed: its token, as in the link."""
    with app.app_context():
        invitation = invitations.invite(db.session, project_id, email, inviter_id, now)
        token = invitations.issue_token(db.session, invitation.id, now)
        db.session.commit()
        return token


def members_of(app: Flask, project_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(ProjectMember.user_id).where(ProjectMember.project_id == project_id)
            )
        )


def invitation_rows(app: Flask) -> list[ProjectInvitation]:
    with app.app_context():
        return list(db.session.scalars(select(ProjectInvitation).order_by(ProjectInvitation.id)))


def test_an_account_the_owner_does_not_know_and_no_account_get_the_same_answer(
    app, make, auth, client, queued, count_queries
):
    owner = make.user(email="own@example.com")
    make.user(email="stranger@example.com", name="Sandra Stranger")
    project = make.project(owner, name="Launch")
    auth.login("own@example.com")
    answers, statements = {}, {}
    for email in ("stranger@example.com", "nobody@example.com"):
        with count_queries() as seen:
            answers[email] = client.post(f"/projects/{project}/members", data={"email": email})
        statements[email] = len(seen)
        page = client.get(f"/projects/{project}/members").get_data(as_text=True)
        assert SENT.format(email) in page
        assert "Sandra" not in page and "already a" not in page and "account" not in page
    stranger, nobody = answers["stranger@example.com"], answers["nobody@example.com"]
    assert (stranger.status_code, stranger.location, stranger.data) == (
        nobody.status_code,
        nobody.location,
        nobody.data,
    )
    assert stranger.status_code == 302
    assert statements["stranger@example.com"] == statements["nobody@example.com"]
    ids = [row.id for row in invitation_rows(app)]
    assert queued == [
        ("app.tasks.accounts.send_project_invitation", (ids[0],)),
        ("app.tasks.accounts.send_project_invitation", (ids[1],)),
    ]
    assert members_of(app, project) == {owner}


def test_someone_who_shares_a_project_with_the_owner_joins_at_once_by_name(
    app, make, auth, client, queued
):
    owner = make.user(email="own@example.com")
    colleague = make.user(email="col@example.com", name="Carla Colleague")
    make.project(colleague, name="Other", members=(owner,))
    project = make.project(owner)
    auth.login("own@example.com")
    page = client.post(
        f"/projects/{project}/members", data={"email": " COL@example.com "}, follow_redirects=True
    )
    assert b"Carla Colleague can now see and work on this project." in page.data
    assert members_of(app, project) == {owner, colleague}
    assert queued == [] and invitation_rows(app) == []
    again = client.post(f"/projects/{project}/members", data={"email": "col@example.com"})
    assert b"Carla Colleague is already a member of this project." in again.data


def test_inviting_again_resends_the_same_invitation_within_the_email_limit(
    app, make, auth, client, queued
):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    auth.login("own@example.com")
    for _ in range(3):  # ACCOUNT_EMAIL_RATE_LIMIT: 3 per hour
        client.post(f"/projects/{project}/members", data={"email": "new@example.com"})
    [row] = invitation_rows(app)
    assert len(queued) == 3
    page = client.post(
        f"/projects/{project}/invitations/{row.id}/resend", follow_redirects=True
    ).get_data(as_text=True)
    assert "did not send another" in page and "Resend in up to 60 minutes" in page
    assert len(queued) == 3 and len(invitation_rows(app)) == 1


def test_the_owner_sees_waiting_invitations_and_can_resend_or_revoke_them(
    app, make, auth, client, queued, count_queries
):
    owner = make.user(email="own@example.com", name="Olga Owner")
    member = make.user(email="mem@example.com")
    project = make.project(owner, members=(member,))
    token = sent_link(app, project, "guest@example.com", owner)
    auth.login("own@example.com")
    page = client.get(f"/projects/{project}/members").get_data(as_text=True)
    assert "Invitations waiting" in page and "guest@example.com" in page
    assert "invited by Olga Owner" in page
    with count_queries() as few:
        client.get(f"/projects/{project}/members")
    for n in range(5):
        sent_link(app, project, f"more{n}@example.com", owner)
    with count_queries() as many:
        client.get(f"/projects/{project}/members")
    assert len(many) == len(few)

    [row] = [r for r in invitation_rows(app) if r.email == "guest@example.com"]
    client.post(f"/projects/{project}/invitations/{row.id}/resend")
    assert queued == [("app.tasks.accounts.send_project_invitation", (row.id,))]
    page = client.post(
        f"/projects/{project}/invitations/{row.id}/revoke", follow_redirects=True
    ).get_data(as_text=True)
    assert "The invitation to guest@example.com is withdrawn" in page
    assert "guest@example.com</strong>" not in page
    assert b"withdrawn by the project" in client.get(f"/invitations/{token}").data
    assert client.post(f"/projects/{project}/invitations/{row.id}/revoke").status_code == 404

    auth.logout()
    auth.login("mem@example.com")
    assert b"Invitations waiting" not in client.get(f"/projects/{project}/members").data
    assert client.post(f"/projects/{project}/invitations/{row.id + 1}/resend").status_code == 403


def test_opening_the_link_only_asks_and_accepting_makes_the_invited_person_a_member(
    app, make, auth, client
):
    owner = make.user(email="own@example.com", name="Olga Owner")
    guest = make.user(email="guest@example.com")
    confirm(app, guest)
    project = make.project(owner, name="Launch")
    with time_machine.travel(NOW, tick=False):
        token = sent_link(app, project, "Guest@Example.com", owner)
        auth.login("guest@example.com")
        page = client.get(f"/invitations/{token}").get_data(as_text=True)
        assert "Olga Owner invited <strong>guest@example.com</strong>" in page
        assert "Accept and join Launch" in page
        assert members_of(app, project) == {owner}, "opening the link accepts nothing"
        accepted = client.post(f"/invitations/{token}/accept", follow_redirects=True)
        assert b"Welcome to Launch!" in accepted.data
        assert members_of(app, project) == {owner, guest}
        again = client.get(f"/invitations/{token}")
        assert again.status_code == 410 and b"already been accepted" in again.data


def test_someone_else_or_an_unconfirmed_address_cannot_accept(app, make, auth, client):
    owner = make.user(email="own@example.com")
    other = make.user(email="other@example.com")
    confirm(app, other)
    make.user(email="guest@example.com")  # never confirmed
    project = make.project(owner)
    with time_machine.travel(NOW, tick=False):
        token = sent_link(app, project, "guest@example.com", owner)
        auth.login("other@example.com")
        page = client.post(f"/invitations/{token}/accept", follow_redirects=True)
        assert b"This invitation was sent to guest@example.com" in page.data
        assert b"Log out, then log in (or sign up) with guest@example.com" in page.data
        auth.logout()
        auth.login("guest@example.com")
        page = client.post(f"/invitations/{token}/accept", follow_redirects=True)
        assert b"Confirm guest@example.com first" in page.data
    assert members_of(app, project) == {owner}


def test_a_visitor_not_logged_in_is_offered_login_or_signup_with_the_address(app, make, client):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    with time_machine.travel(NOW, tick=False):
        token = sent_link(app, project, "guest@example.com", owner)
        page = client.get(f"/invitations/{token}").get_data(as_text=True)
        assert "Log in to accept" in page and "Create an account" in page
        assert f"/login?next=/invitations/{token}&amp;email=guest@example.com" in page
        assert f"/register?next=/invitations/{token}&amp;email=guest@example.com" in page
        login = client.get(f"/login?next=/invitations/{token}&email=guest%40example.com")
        assert b'value="guest@example.com"' in login.data
        bare = client.post(f"/invitations/{token}/accept")
        assert bare.status_code == 302 and bare.location == f"/invitations/{token}"
    assert members_of(app, project) == {owner}


def test_signing_up_from_an_invitation_comes_back_to_it_after_confirming(app, make, client):
    from app.accounts import tokens

    owner = make.user(email="own@example.com")
    project = make.project(owner)
    with time_machine.travel(NOW, tick=False):
        token = sent_link(app, project, "newbie@example.com", owner)
        client.post(
            f"/register?next=/invitations/{token}&email=newbie%40example.com",
            data={
                "name": "Nina Newbie",
                "email": "newbie@example.com",
                "password": "long enough pw",
                "confirm": "long enough pw",
                "timezone": "UTC",
            },
        )
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == "newbie@example.com"))
            link = tokens.issue(app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user)
        confirmed = client.post(f"/verify-email/{link}")
        assert confirmed.location == f"/invitations/{token}"
        client.post(f"/invitations/{token}/accept")
    assert len(members_of(app, project)) == 2


@pytest.mark.parametrize(
    ("days_later", "status", "message"),
    [(15, 410, b"This invitation has expired"), (0, 404, b"not valid")],
)
def test_expired_and_unknown_links_say_so(app, make, client, days_later, status, message):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    token = sent_link(app, project, "guest@example.com", owner)
    if days_later == 0:
        token = "not-a-real-token"
    with time_machine.travel(NOW + timedelta(days=days_later), tick=False):
        page = client.get(f"/invitations/{token}")
    assert page.status_code == status and message in page.data


def test_reinviting_after_a_revoke_reopens_the_row_and_kills_its_old_link(app, make):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    old = sent_link(app, project, "guest@example.com", owner)
    with app.app_context():
        [row] = db.session.scalars(select(ProjectInvitation)).all()
        invitations.revoke(row, NOW)
        invitations.invite(db.session, project, "guest@example.com", owner, NOW)
        db.session.commit()
        assert invitations.find_by_token(db.session, old) is None
        assert db.session.scalar(select(func.count()).select_from(ProjectInvitation)) == 1
