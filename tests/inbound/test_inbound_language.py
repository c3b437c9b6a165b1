"""Inbound mail in people's languages: a refusal is answered in its sender's language (English
for someone without an account), the ledger keeps English, what Tickler adds to a mailed-in
task is in its creator's language, and the Mail in tab and the admin page are translated."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from flask import Flask
from sqlalchemy import select

from app.core.i18n import in_language
from app.extensions import db
from app.inbound.bodies import DONE_WORDS, done_word, is_done
from app.inbound.models import InboundMessage
from app.tasklist.models import Task
from tests.conftest import DEFAULT_PASSWORD
from tests.inbound.conftest import handle, plain, reply_to
from tests.inbound.test_mail_in import mail, turn_on
from tests.languages import speaks


def test_a_refusal_is_answered_in_the_senders_language(inbound_app, team, answers, smtp, make):
    carl = make.user(email="carl@example.com")
    speaks(inbound_app, carl, "de")
    to = turn_on(inbound_app, team["project"], team["ann"])
    handle(inbound_app, mail("carl@example.com", to, "Idee", "Blau streichen"))
    assert answers.send_all() == 1
    [answer] = smtp.wait_for(1)
    text = answer.get_body(("plain",)).get_content()
    html = answer.get_body(("html",)).get_content()
    assert answer["Subject"] == "Re: Idee"
    assert "Tickler hat Ihre E-Mail nicht verwendet" in text
    assert "Warum: Nur Mitglieder des Projekts können Aufgaben per E-Mail erstellen" in " ".join(
        text.split()
    )
    assert "<strong>Was Sie tun können:</strong>" in html
    with inbound_app.app_context():
        row = db.session.scalars(select(InboundMessage)).one()
        assert row.detail.startswith("Only members of the project")  # the ledger is English


def test_a_sender_without_an_account_is_answered_in_english(inbound_app, team, answers, smtp):
    speaks(inbound_app, team["ann"], "ja")  # the task's person; not who wrote
    to = reply_to(inbound_app, team["ann"], team["task"])
    handle(inbound_app, plain("eve@example.org", to, "Looks good"))
    assert answers.send_all() == 1
    [answer] = smtp.wait_for(1)
    assert "Tickler did not use your email" in answer.get_body(("plain",)).get_content()


def test_a_mailed_in_task_notes_attachments_in_its_creators_language(inbound_app, team, answers):
    speaks(inbound_app, team["bob"], "de")
    to = turn_on(inbound_app, team["project"], team["ann"])
    handle(inbound_app, mail("bob@example.com", to, "Farbe kaufen", "Zwei Eimer.", attach=True))
    with inbound_app.app_context():
        task = db.session.scalars(select(Task).order_by(Task.id.desc())).first()
        assert "Anhänge (nicht gespeichert): report.pdf (117 KB), run.exe (20 Byte)" in (
            task.description
        )


def test_the_done_word_is_the_readers_and_is_recognised(app: Flask) -> None:
    with app.app_context():
        for language, word in (("en", "done"), ("de", "erledigt"), ("ja", "完了")):
            with in_language(language):
                assert done_word() == word
            assert done_word(language) == word and word in DONE_WORDS
        assert is_done("Erledigt!")


def test_the_mail_in_tab_in_japanese(inbound_app, team, client, auth) -> None:
    speaks(inbound_app, team["ann"], "ja")
    turn_on(inbound_app, team["project"], team["ann"])
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/mail-in").get_data(as_text=True)
    assert "<h1>メール受信</h1>" in page
    assert "メールでタスクを作成" in page and "再生成" in page
    assert 'aria-label="プロジェクトのメール受信アドレス"' in page
    assert 'data-copied="コピーしました。"' in page


def test_the_admin_inbound_page_in_german(inbound_app, team, answers, make) -> None:
    admin = make.user(email="admin@example.com", is_admin=True)
    speaks(inbound_app, admin, "de")
    to = turn_on(inbound_app, team["project"], team["ann"])
    carl = make.user(email="carl@example.com")
    assert carl
    handle(
        inbound_app,
        mail("carl@example.com", to, "Idee", "Blau"),
        now=datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
    )
    client = inbound_app.test_client()
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False):
        client.post("/login", data={"email": "admin@example.com", "password": DEFAULT_PASSWORD})
        page = client.get("/admin/inbound/").get_data(as_text=True)
    assert "<h1>Eingehende E-Mails</h1>" in page
    assert "Mo., 7. Dez. 2026, 08:00" in page
    assert "E-Mail-Eingang" in page and "Abgelehnt" in page and "Ausstehend" in page
    assert "Nur Mitglieder des Projekts können Aufgaben per E-Mail erstellen" in page
    assert 'data-label="Betreff"' in page


def test_the_inbound_commands_speak_the_terminals_language(app: Flask) -> None:
    app.config.update(INBOUND_IMAP_HOST=None, INBOUND_MAILDIR=None)
    runner = app.test_cli_runner()
    german = runner.invoke(args=["inbound", "poll"], env={"LANG": "de_DE.UTF-8", "LC_ALL": ""})
    assert "Eingehende E-Mails sind aus" in german.output, german.output
    english = runner.invoke(args=["inbound", "poll"], env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert "Inbound mail is off" in english.output, english.output
