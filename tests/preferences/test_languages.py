"""The preferences page in the person's language, and the unsubscribe pages in the language of
the person the signed link names (not the browser's), or the browser's for a broken link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.accounts.models import User
from app.core.email.models import EmailKind
from app.extensions import db
from app.notifications.models import NotificationKind
from app.preferences.service import unsubscribe_token

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def set_language(app, user_id: int, code: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).language = code
        db.session.commit()


def link(app, user_id, kind, project_id=None) -> str:
    return f"/unsubscribe/{unsubscribe_token(app.config['SECRET_KEY'], user_id, kind, project_id)}"


def test_unsubscribe_speaks_the_link_owners_german_to_an_english_browser(app, client, make):
    ann = make.user()
    set_language(app, ann, "de")
    url = link(app, ann, EmailKind.WEEKLY_SUMMARY)
    page = client.get(url, headers=ENGLISH_BROWSER).data.decode()
    assert 'lang="de"' in page
    assert "<strong>wöchentliche Zusammenfassung</strong> nicht mehr an die Adresse senden" in page
    done = client.post(url, headers=ENGLISH_BROWSER).data.decode()
    assert "Sie sind abgemeldet" in done
    assert "Ausgeschaltet: <strong>wöchentliche Zusammenfassung</strong>." in done
    assert "Unsubscribe" not in done


def test_unsubscribe_from_task_emails_in_japanese(app, client, make):
    ken = make.user()
    project = make.project(ken, name="Launch")
    set_language(app, ken, "ja")
    url = link(app, ken, [NotificationKind.COMMENTED, NotificationKind.ASSIGNED], project)
    page = client.get(url, headers=ENGLISH_BROWSER).data.decode()
    # Two kinds joined by Japanese's own list pattern, not " and ".
    assert (
        "タスクが割り当てられたときのメール、フォロー中のタスクにコメントがあったときのメール"
        in page
    )
    assert "Launch のタスクのメールをすべて停止" in page and "配信停止" in page
    done = client.post(url, data={"scope": "all_task"}, headers=ENGLISH_BROWSER)
    assert "停止しました: <strong>すべてのタスクのメール</strong>" in done.data.decode()


def test_two_kinds_read_as_one_german_sentence(app, client, make):
    ann = make.user()
    set_language(app, ann, "de")
    url = link(app, ann, [EmailKind.WEEKLY_SUMMARY, EmailKind.OVERDUE_ALERT])
    page = client.get(url).data.decode()
    assert "tägliche Warnung zu überfälligen Aufgaben und wöchentliche Zusammenfassung" in page


def test_a_broken_link_answers_in_the_browsers_language(client):
    response = client.get("/unsubscribe/not-a-token", headers={"Accept-Language": "de-AT"})
    assert response.status_code == 400
    page = response.data.decode()
    assert "Dieser Link funktioniert nicht" in page and "Dieser Abmeldelink ist ungültig." in page


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 7, 7, 0, tzinfo=UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("code", "title", "refused"),
    [
        ("de", "Einstellungen speichern", "01.01.2020 ist vorbei"),
        ("ja", "設定を保存", "2020/01/01 は過ぎています"),
    ],
)
def test_the_preferences_page_in_the_persons_language(
    app, client, make, auth, clock, code, title, refused
):
    me = make.user(email="ann@example.com", timezone="Europe/Berlin")
    set_language(app, me, code)
    auth.login("ann@example.com")
    page = client.get("/preferences").data.decode()
    assert title in page
    response = client.post("/preferences", data={"paused_until": "2020-01-01"})
    assert refused in response.data.decode()
