"""Email preferences and the signed one-click unsubscribe link."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from flask import Flask

from app.accounts.models import User
from app.core.email.models import EmailKind
from app.extensions import db
from app.operations import schedule_settings
from app.preferences.models import EMAIL, EmailChoice
from app.preferences.service import EmailChoices, choices_for, unsubscribe_token


def token(app: Flask, user_id: int, kind: EmailKind) -> str:
    return unsubscribe_token(app.config["SECRET_KEY"], user_id, kind)


def settings(app: Flask, user_id: int) -> EmailChoices:
    with app.app_context():
        return choices_for(db.session, db.session.get(User, user_id))


def enabled(app: Flask, user_id: int, kind: EmailKind) -> bool:
    with app.app_context():
        return choices_for(db.session, db.session.get(User, user_id)).enabled[kind]


# A Sunday afternoon.
NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_preferences_page_saves_each_choice(app, client, make, auth, clock):
    me = make.user(email="ann@example.com")
    auth.login("ann@example.com")
    page = client.get("/preferences").data.decode()
    assert "Daily reminder" in page and "Daily task report" not in page, "reports are for admins"
    client.post(
        "/preferences",
        data={
            "task_reminder": "y",
            "weekly_summary": "y",
            "workdays_only": "y",
            "paused_until": "2026-12-31",
        },
    )
    assert enabled(app, me, EmailKind.TASK_REMINDER)
    assert not enabled(app, me, EmailKind.OVERDUE_ALERT)
    assert settings(app, me).workdays_only is True
    assert settings(app, me).paused_until == date(2026, 12, 31)


def test_a_malformed_pause_date_is_refused_and_nothing_changes(app, client, make, auth, clock):
    me = make.user(email="ann@example.com")
    auth.login("ann@example.com")
    response = client.post("/preferences", data={"paused_until": "next summer"})
    assert b"Enter a date such as 2026-12-24" in response.data
    assert settings(app, me).paused_until is None


def test_unsubscribe_link_asks_then_turns_that_kind_off_without_logging_in(app, client, make):
    me = make.user(email="ann@example.com")
    link = f"/unsubscribe/{token(app, me, EmailKind.WEEKLY_SUMMARY)}"
    page = client.get(link)
    assert page.status_code == 200 and b"weekly summary" in page.data
    assert enabled(app, me, EmailKind.WEEKLY_SUMMARY), "a GET (link preview) changes nothing"
    done = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.data
    assert not enabled(app, me, EmailKind.WEEKLY_SUMMARY)
    assert enabled(app, me, EmailKind.TASK_REMINDER), "other kinds stay on"


def test_one_click_unsubscribe_works_with_csrf_protection_on(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    me = make.user(email="ann@example.com")
    response = app.test_client().post(
        f"/unsubscribe/{token(app, me, EmailKind.TASK_REMINDER)}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    with app.app_context():
        row = db.session.query(EmailChoice).one()
        assert (row.kind, row.channel, row.project_id, row.enabled) == (
            EmailKind.TASK_REMINDER.value,
            EMAIL,
            None,
            False,
        )


def test_tampered_or_foreign_unsubscribe_tokens_are_refused(app, client, make):
    me = make.user(email="ann@example.com")
    good = token(app, me, EmailKind.TASK_REMINDER)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    foreign = unsubscribe_token("another-secret-key-0123456789abcdef", me, EmailKind.TASK_REMINDER)
    for bad in (tampered, foreign, "not-a-token"):
        response = client.post(f"/unsubscribe/{bad}")
        assert response.status_code == 400
        assert b"This link does not work" in response.data
    assert enabled(app, me, EmailKind.TASK_REMINDER)


def test_a_pause_that_ended_already_is_refused(app, client, make, auth, clock):
    me = make.user(email="ann@example.com", timezone="Pacific/Auckland")
    auth.login("ann@example.com")
    response = client.post("/preferences", data={"paused_until": "2020-01-01"})
    assert "01 Jan 2020 has passed; choose today or a later day" in response.data.decode()
    assert settings(app, me).paused_until is None
    # In Auckland it is already Monday 7 December: Sunday has passed there.
    response = client.post("/preferences", data={"paused_until": "2026-12-06"})
    assert b"has passed" in response.data
    client.post("/preferences", data={"paused_until": "2026-12-07"})
    assert settings(app, me).paused_until == date(2026, 12, 7)


def arrivals(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-arrives="(\w+)">Arrives ([^<]+)\.<', page))


def test_the_page_says_when_each_digest_arrives_on_the_persons_clock(
    app, client, make, auth, clock
):
    make.user(email="boss@example.com", timezone="Europe/Berlin", is_admin=True)
    auth.login("boss@example.com")
    page = client.get("/preferences").data.decode()
    assert arrivals(page) == {
        "task_reminder": "daily at 08:00",
        "overdue_alert": "daily at 09:00",
        "weekly_summary": "Mondays at 10:00",
        # The report job runs at 07:00 UTC: 08:00 in Berlin.
        "daily_report": "daily at 08:00",
    }
    assert "(Europe/Berlin)" in page
    assert "chosen below" not in page and "(if per-task alerts are chosen above)" in page


def test_the_hours_follow_the_schedule_an_admin_set(app, client, make, auth, clock):
    make.user(email="boss@example.com", timezone="Asia/Kolkata", is_admin=True)
    with app.app_context():
        schedule_settings.set_crontab(db.session, "send-task-reminders", "0 * * * *", None)
        schedule_settings.set_crontab(db.session, "generate-daily-report", "30 5 * * *", None)
        schedule_settings.set_paused(db.session, "check-overdue-tasks-daily", True, None)
        db.session.commit()
    auth.login("boss@example.com")
    found = arrivals(client.get("/preferences").data.decode())
    # 08:00 in Kolkata is 02:30 UTC; the hourly job next runs at 03:00 UTC, 08:30 there.
    assert found["task_reminder"] == "daily at 08:30"
    assert found["daily_report"] == "daily at 11:00"
    assert found["overdue_alert"] == "not at the moment: an admin has paused it"
