"""The admin pages, the analytics page and the command lines in German and Japanese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import User
from app.analytics.models import AnalyticsScope
from app.analytics.queries import compute_snapshot
from app.core.i18n import in_language
from app.core.terminal_language import language_code, terminal_language
from app.extensions import db
from app.operations.task_runs import record_state
from app.schedule import describe_crontab

# A moment each page writes in the reader's language (UTC people: the same clock time).
MOMENT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
GERMAN_MOMENT = "Mo., 7. Dez. 2026, 08:00"
JAPANESE_MOMENT = "2026年12月7日(月) 8:00"


def speaks(app, user_id: int, language: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()


@pytest.fixture
def admin(app, make, auth):
    def sign_in(language: str) -> int:
        user = make.user(email=f"boss-{language}@example.com", is_admin=True)
        speaks(app, user, language)
        auth.login(f"boss-{language}@example.com")
        return user

    return sign_in


def a_finished_report_run(app) -> None:
    with app.app_context():
        record_state(
            db.session.connection(),
            "report-run-1",
            "app.tasks.task_management.generate_task_report",
            "succeeded",
            MOMENT,
            started_at=MOMENT,
            finished_at=MOMENT,
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("value", "code"),
    [("de_DE.UTF-8", "de"), ("ja_JP", "ja"), ("fr", "fr"), ("C.UTF-8", "c"), ("es_ES@euro", "es")],
)
def test_a_locale_names_its_language(value, code):
    assert language_code(value) == code


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "pt_BR.UTF-8"}, "en"),  # not one of Tickler's: English
        ({"LC_ALL": "", "LANG": "ja_JP.UTF-8"}, "ja"),  # an empty variable is not set
        ({}, "en"),
    ],
)
def test_the_terminal_language_comes_from_the_environment(app, environ, language):
    with app.app_context():
        assert terminal_language(environ) == language


def test_crontabs_are_described_in_the_reader_language(app):
    with app.test_request_context():
        with in_language("de"):
            assert describe_crontab("0 2 * * 0") == "Um 02:00, nur am Sonntag"
        with in_language("fr"):
            assert describe_crontab("0 8 * 3 1-5") == (
                "À 08:00, de lundi à vendredi, uniquement en mars"
            )
        with in_language("ja"):
            assert "日曜日" in describe_crontab("0 2 * * 0")
        assert describe_crontab("0 2 * * 0") == "At 02:00, only on Sunday"


def test_the_jobs_page_in_german(app, client, admin):
    admin("de")
    a_finished_report_run(app)
    page = client.get("/admin/jobs").text
    assert "Geplante Jobs" in page and "Letzte Läufe" in page
    assert "Um 07:00" in page  # the report job's crontab, in words
    assert "Zählt Aufgaben nach Status, Priorität und Projekt" in page
    assert "Wöchentliche Zusammenfassung am Montag um 10:00 Uhr" in page
    assert GERMAN_MOMENT in page
    assert 'outcome-succeeded">erfolgreich</span>' in page
    assert ">Jetzt ausführen</button>" in page


def test_the_jobs_page_in_japanese(app, client, admin):
    admin("ja")
    a_finished_report_run(app)
    page = client.get("/admin/jobs").text
    assert "定期ジョブ" in page and "最近の実行" in page
    assert JAPANESE_MOMENT in page
    assert 'outcome-succeeded">成功</span>' in page
    assert "毎週月曜日 10:00" in page


def test_the_outbox_and_reports_in_german(client, admin):
    admin("de")
    outbox = client.get("/admin/outbox?status=nope").text
    assert "<h1>Postausgang</h1>" in outbox
    assert "Es gibt keinen Status „nope“; alle werden angezeigt." in outbox
    assert '<option value="failed" >Fehlgeschlagen</option>' in outbox.replace("  ", " ")
    reports = client.get("/admin/reports").text
    assert "Noch kein Bericht." in reports and "Seite „Jobs“" in reports


def test_a_flash_on_the_jobs_page_in_japanese(client, admin):
    admin("ja")
    page = client.post("/admin/jobs/purge-trash/pause", follow_redirects=True).text
    assert "purge-trash を一時停止しました。" in page


def test_the_analytics_page_in_german_and_japanese(app, client, make, auth):
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    make.task(project, ann)
    with app.app_context():
        compute_snapshot(db.session, AnalyticsScope.PROJECT, project, MOMENT)
        db.session.commit()
    auth.login("ann@example.com")

    speaks(app, ann, "de")
    page = client.get(f"/projects/{project}/analytics").text
    assert "Launch: Auswertung" in page
    assert "Launch: erledigte Aufgaben pro Woche" in page
    assert "Die Zahlen als Tabelle" in page
    assert GERMAN_MOMENT in page  # the computed time's tooltip
    assert "Berechnet <time" in page
    assert ">Dez</text>" in page  # the month under the axis

    speaks(app, ann, "ja")
    page = client.get(f"/projects/{project}/analytics").text
    assert "Launch: 週ごとの完了タスク" in page
    assert JAPANESE_MOMENT in page
    assert ">12月</text>" in page and ">7日</text>" in page


def test_flask_create_user_speaks_the_terminal_language(app):
    runner = app.test_cli_runner()
    typed = "correct horse battery\ncorrect horse battery\n"
    with app.app_context():  # as the `flask` command's own group pushes one
        answer = runner.invoke(
            args=["create-user", "--email", "neu@example.com", "--name", "Neu", "--admin"],
            input=typed,
            env={"LANG": "de_DE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""},
        )
        english = runner.invoke(
            args=["create-user", "--email", "new@example.com", "--name", "New"],
            input=typed,
            env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""},
        )
    assert answer.exit_code == 0, answer.output
    assert "Administratorkonto für neu@example.com erstellt." in answer.output
    assert "Created account for new@example.com." in english.output
