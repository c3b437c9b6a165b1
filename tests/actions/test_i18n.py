"""The pages an email's action link opens speak the language of the person the link was signed
for, signed in or not (even when the link has expired); else the browser's."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from app.actions.links import issue
from app.core.database import utcnow
from tests.languages import speaks


@pytest.fixture
def setup(app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, name="Launch", members=(bob,))
    task = make.task(
        project, ann, title="Ship it", assignee_id=bob, due_at=utcnow() + timedelta(hours=5)
    )
    return {"ann": ann, "bob": bob, "task": task}


def link(app, setup, action="done"):
    with app.app_context():
        return "/actions/" + issue(app.config["SECRET_KEY"], setup["bob"], setup["task"], action)


def test_the_pages_speak_the_link_owners_language_whatever_the_browser(app, client, setup):
    speaks(app, setup["bob"], "de")
    url = link(app, setup)
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    asked = client.get(url, headers=english_browser).data.decode()
    assert '<html lang="de"' in asked
    assert "„Ship it“ als erledigt markieren?" in asked and "Ja, ausführen" in asked
    assert "Launch · für Bob" in asked
    done = client.post(url, headers=english_browser).data.decode()
    assert "„Ship it“ ist als erledigt markiert." in done and "Aufgabe in Tickler öffnen" in done
    again = client.post(url, headers=english_browser).data.decode()
    assert "Dieser Link wurde bereits verwendet. Es wurde nichts geändert." in again


def test_remind_me_tomorrow_in_japanese(app, client, setup):
    speaks(app, setup["bob"], "ja")
    url = link(app, setup, "snooze")
    assert "「Ship it」について明日リマインドしますか？" in client.get(url).data.decode()
    assert "明日のこの時刻に「Ship it」をリマインドします。" in client.post(url).data.decode()


def test_an_expired_link_still_speaks_its_owners_language(app, client, setup):
    speaks(app, setup["bob"], "ja")
    url = link(app, setup)
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        page = client.get(url).data.decode()
    assert "このリンクは期限切れです。" in page and "無効なリンク" in page


def test_a_link_that_names_nobody_speaks_the_browsers_language(app, client, setup):
    speaks(app, setup["bob"], "ja")
    url = link(app, setup)
    page = client.get(url[:-3] + "abc", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert page.status_code == 400
    assert "Ce lien n’est pas valide. Rien n’a été modifié." in page.data.decode()
