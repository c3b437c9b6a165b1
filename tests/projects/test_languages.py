"""Projects pages and the invitation email in German and Japanese: translated words, each
locale's date format, and the invitation in the reader's language (the inviter's when the
address has no account yet), whatever the current request speaks."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.projects import invitations
from app.projects.invitation_emails import compose_invitation_email
from app.projects.invitation_models import ProjectInvitation
from tests.languages import speaks

INVITED_AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
GERMAN_MOMENT = "Mo., 7. Dez. 2026, 08:00"
JAPANESE_MOMENT = "2026年12月7日(月) 8:00"


@pytest.fixture
def team(app, make, auth):
    owner = make.user(email="ann@example.com", name="Ann Owner")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(owner, name="Website", members=(bob,))
    with app.app_context():
        invitations.invite(db.session, project, "new@example.org", owner, INVITED_AT)
        db.session.commit()
    return {"owner": owner, "bob": bob, "project": project}


@pytest.mark.parametrize(
    ("code", "words", "moment"),
    [
        ("de", ["Mitglieder", "Inhaber", "Mitglied", "Offene Einladungen", "offen",
                "eingeladen von Ann Owner", "Erneut senden", "Mitglied hinzufügen"],
         GERMAN_MOMENT),
        ("ja", ["メンバー", "オーナー", "返事待ちの招待", "返事待ち", "Ann Owner さんが招待",
                "再送", "メンバーを追加"], JAPANESE_MOMENT),
    ],
)  # fmt: skip
def test_members_page_in_the_owners_language(app, client, auth, team, code, words, moment):
    speaks(app, team["owner"], code)
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/members").data.decode()
    for word in words:
        assert word in page
    assert f">{moment} UTC</time>" in page


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("de", ["Projekte", "Neues Projekt", "2 Mitglieder", "0 offen", "Inhaber"]),
        ("ja", ["プロジェクト", "新しいプロジェクト", "メンバー 2 人", "未完了 0 件", "オーナー"]),
    ],
)
def test_projects_list_in_the_readers_language(app, client, auth, team, code, words):
    speaks(app, team["owner"], code)
    auth.login("ann@example.com")
    page = client.get("/projects/").data.decode()
    for word in words:
        assert word in page


def _invitation(app: Flask, project_id: int) -> ProjectInvitation:
    invitation = db.session.query(ProjectInvitation).filter_by(project_id=project_id).one()
    assert invitation.project and invitation.invited_by
    return invitation


def test_invitation_to_an_address_without_account_is_in_the_inviters_language(app, team):
    speaks(app, team["owner"], "de")
    # The page that queued it, or a worker, may speak anything: French here must not leak.
    with app.test_request_context(headers={"Accept-Language": "fr"}), app.app_context():
        email = compose_invitation_email(
            _invitation(app, team["project"]), "tok", has_account=False, invitee_language=None
        )
    content = email.content
    assert content.subject == "Ann Owner hat Sie zu Website auf Tickler eingeladen"
    assert "Tickler ist eine gemeinsame Aufgabenliste" in content.text
    assert "Die Einladung gilt 14 Tage." in content.text
    assert "Einladung annehmen" in content.html


def test_invitation_to_an_account_is_in_the_invitees_language(app, team):
    speaks(app, team["owner"], "de")
    with app.app_context():
        email = compose_invitation_email(
            _invitation(app, team["project"]), "tok", has_account=True, invitee_language="ja"
        )
    content = email.content
    assert content.subject == "Ann Owner さんが Tickler の Website に招待しています"
    assert "new@example.org の Tickler アカウントをお持ちです" in content.text
    assert "この招待は 14 日間有効です。" in content.html


def test_invitation_job_reads_the_invitees_language_from_their_account(
    app, make, team, monkeypatch
):
    """The worker looks the address up anyway (for the wording): its language comes with it."""
    make.user(email="new@example.org", name="Newcomer")
    with app.app_context():
        db.session.query(User).filter_by(email="new@example.org").one().language = "ja"
        db.session.commit()
    sent = []

    def send_one(task, email):
        sent.append(email)
        return SimpleNamespace(outcome="sent", error=None)

    monkeypatch.setattr("app.projects.jobs.send_one", send_one)
    from app.projects import jobs

    with app.app_context():
        invitation_id = _invitation(app, team["project"]).id
        jobs.send_project_invitation.run(invitation_id)
    assert sent and "招待" in sent[0].content.subject
