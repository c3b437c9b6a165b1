"""Issue 18: choices are exact. One model holds them; the one-click link turns off the email's
kind only; its page offers the wider choices; choices are read again when an email is sent."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from app.core.database import utcnow
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.extensions import db
from app.notifications.jobs import flush_task_notifications, send_digest_chunk
from app.notifications.models import Notification, NotificationKind
from app.notifications.service import Channels, choices
from app.preferences import service as rules
from app.preferences.models import ALL_TASK, EMAIL, EmailChoice
from app.preferences.service import TASK_KINDS, read_unsubscribe_token, unsubscribe_token
from tests.conftest import DEFAULT_PASSWORD


def link_for(app: Flask, user_id: int, kinds, project_id: int | None = None) -> str:
    return f"/unsubscribe/{unsubscribe_token(app.config['SECRET_KEY'], user_id, kinds, project_id)}"


def rows_of(app: Flask, user_id: int) -> set[tuple[str, str, int | None, bool]]:
    with app.app_context():
        return {
            (r.kind, r.channel, r.project_id, r.enabled)
            for r in db.session.scalars(select(EmailChoice).where(EmailChoice.user_id == user_id))
        }


def channels_of(app: Flask, user_id: int) -> dict[NotificationKind, Channels]:
    with app.app_context():
        return choices(db.session, user_id)


def one_click(app: Flask, link: str):
    return app.test_client().post(
        link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "the page carries a form token"
    return found[1]


def text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_the_token_carries_the_kind_and_the_project(app):
    secret = app.config["SECRET_KEY"]
    link = read_unsubscribe_token(secret, unsubscribe_token(secret, 7, ["assigned"], 3))
    assert (link.user_id, link.kinds, link.project_id) == (7, ("assigned",), 3)
    digest = read_unsubscribe_token(secret, unsubscribe_token(secret, 7, EmailKind.WEEKLY_SUMMARY))
    assert (digest.kinds, digest.project_id, digest.is_task_email) == (
        ("weekly_summary",),
        None,
        False,
    )
    # Links in task emails sent before this change name no kind: they keep their old meaning.
    old = read_unsubscribe_token(secret, unsubscribe_token(secret, 7, rules.ACTIVITY))
    assert old.kinds == TASK_KINDS


def test_one_click_on_an_assignment_email_turns_off_assignment_emails_only(app, make):
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    assert one_click(app, link_for(app, ann, ["assigned"], project)).status_code == 200
    assert rows_of(app, ann) == {("assigned", EMAIL, None, False)}
    now = channels_of(app, ann)
    assert now[NotificationKind.ASSIGNED] == Channels(email=False, in_app=True)
    for kind in NotificationKind:
        if kind != NotificationKind.ASSIGNED:
            assert now[kind] == Channels(), kind


def test_the_page_says_what_was_turned_off_and_offers_the_wider_choices(app, client, make):
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    link = link_for(app, ann, ["reminder"], project)
    before = text(client.get(link).data)
    assert "Stop sending emails when a reminder you set on a task comes due" in before
    assert rows_of(app, ann) == set(), "a GET (link preview) changes nothing"
    one_click(app, link)
    page = client.get(link)
    shown = text(page.data)
    assert "Turned off: emails when a reminder you set on a task comes due" in shown
    assert "Turn off all task emails of Launch" in shown and "Turn off all task emails" in shown
    assert b'name="scope" value="project"' in page.data
    assert b'name="scope" value="all_task"' in page.data


def test_a_digest_link_offers_no_task_choices(app, client, make):
    ann = make.user(email="ann@example.com")
    page = text(client.get(link_for(app, ann, EmailKind.WEEKLY_SUMMARY)).data)
    assert "weekly summary" in page and "all task emails" not in page


def test_the_wider_buttons_mute_the_project_or_every_task_email(app, client, make):
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    link = link_for(app, ann, ["assigned"], project)
    done = client.post(link, data={"scope": "project"})
    assert done.status_code == 200
    assert "Turned off: all task emails of Launch" in text(done.data)
    assert rows_of(app, ann) == {(ALL_TASK, EMAIL, project, False)}
    done = client.post(link, data={"scope": "all_task"})
    assert "Turned off: all task emails" in text(done.data)
    assert {kind for kind, channel, _, on in rows_of(app, ann) if channel == EMAIL and not on} == {
        *TASK_KINDS,
        ALL_TASK,
    }
    assert all(c.in_app for c in channels_of(app, ann).values()), "the inbox is left as it was"


def test_with_a_session_the_wider_buttons_need_the_form_token(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    ann = make.user(email="ann@example.com")
    project = make.project(ann, name="Launch")
    link = link_for(app, ann, ["assigned"], project)
    # No session: the signed link is the authority.
    assert app.test_client().post(link, data={"scope": "project"}).status_code == 200
    assert rows_of(app, ann) == {(ALL_TASK, EMAIL, project, False)}
    # A logged-in browser: a forged form without the token changes nothing.
    browser = app.test_client()
    login = browser.get("/login").data.decode()
    browser.post(
        "/login",
        data={"email": "ann@example.com", "password": DEFAULT_PASSWORD, "csrf_token": csrf(login)},
    )
    assert b"Log out" in browser.get("/preferences").data
    forged = browser.post(link, data={"scope": "all_task"})
    assert forged.status_code == 400
    assert rows_of(app, ann) == {(ALL_TASK, EMAIL, project, False)}
    form_token = csrf(browser.get(link).data.decode())
    assert (
        browser.post(link, data={"scope": "all_task", "csrf_token": form_token}).status_code == 200
    )
    assert ("assigned", EMAIL, None, False) in rows_of(app, ann)


def test_the_preferences_page_shows_the_kinds_and_mutes_each_project(app, client, make, auth):
    ann = make.user(email="ann@example.com")
    launch = make.project(ann, name="Launch")
    garden = make.project(ann, name="Garden")
    auth.login("ann@example.com")
    page = text(client.get("/preferences").data)
    assert "A task is assigned to me" in page
    assert "Task emails from each project" in page and "Launch" in page and "Garden" in page
    client.post(
        "/preferences",
        data={
            **{f"{kind}_email": "y" for kind in TASK_KINDS},
            **{f"{kind}_in_app": "y" for kind in TASK_KINDS},
            "project_shown": [str(launch), str(garden)],
            "project_emails": [str(garden)],
        },
    )
    assert (ALL_TASK, EMAIL, launch, False) in rows_of(app, ann)
    assert "(muted)" in text(client.get("/preferences").data)
    client.post(
        "/preferences",
        data={"project_shown": [str(launch), str(garden)], "project_emails": [str(launch)]},
    )
    rows = rows_of(app, ann)
    assert (ALL_TASK, EMAIL, launch, True) in rows and (ALL_TASK, EMAIL, garden, False) in rows


def test_the_preferences_page_costs_the_same_statements_for_1_project_or_8(
    app, client, make, auth, count_queries
):
    ann = make.user(email="ann@example.com")
    make.project(ann, name="P0")
    auth.login("ann@example.com")

    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/preferences").status_code == 200
        return len(seen)

    few = statements()
    for n in range(1, 8):
        with app.app_context():
            rules.mute_project(db.session, ann, make.project(ann, name=f"P{n}"))
            db.session.commit()
    assert statements() == few


def queue_event(app, user_id: int, task_id: int, kind: NotificationKind) -> None:
    with app.app_context():
        db.session.add(
            Notification(
                user_id=user_id,
                kind=kind.value,
                task_id=task_id,
                message=f"{kind.value} happened",
                created_at=utcnow(),
                email_wanted=True,
            )
        )
        db.session.commit()


def activity_rows(app, user_id: int) -> list[tuple[DeliveryStatus, dict | None]]:
    with app.app_context():
        return [
            (d.status, d.reason)
            for d in db.session.scalars(
                select(Delivery).where(
                    Delivery.recipient_id == user_id, Delivery.kind == EmailKind.TASK_ACTIVITY
                )
            )
        ]


def test_unsubscribed_between_queueing_and_sending_is_not_sent_and_the_ledger_says_why(
    app, make, smtp
):
    ann = make.user(email="ann@example.com")
    bob = make.user(email="bob@example.com")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Write", assignee_id=bob)
    queue_event(app, bob, task, NotificationKind.REMINDER)
    one_click(app, link_for(app, bob, ["reminder"], project))
    result = flush_task_notifications.apply(args=(bob, task)).get()
    assert result == {"sent": 0, "reason": "turned off"}
    assert smtp.messages == []
    [(status, reason)] = activity_rows(app, bob)
    assert status == DeliveryStatus.SKIPPED
    assert reason["skipped"] == "turned off by the recipient before sending"
    assert reason["kinds"] == ["reminder"]


def test_a_batch_keeps_the_kinds_still_on_and_its_link_names_them(app, make, smtp):
    ann = make.user(email="ann@example.com")
    bob = make.user(email="bob@example.com")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Write", assignee_id=bob)
    queue_event(app, bob, task, NotificationKind.COMMENTED)
    queue_event(app, bob, task, NotificationKind.REMINDER)
    with app.app_context():
        rules.set_choice(db.session, bob, "reminder", False)
        db.session.commit()
    flush_task_notifications.apply(args=(bob, task)).get()
    [message] = smtp.wait_for(1)
    body = message.get_body(("plain",)).get_content()
    assert "commented happened" in body and "reminder happened" not in body
    token = message["List-Unsubscribe"].strip("<>").rsplit("/", 1)[-1]
    link = read_unsubscribe_token(app.config["SECRET_KEY"], token)
    assert (link.kinds, link.project_id) == (("commented",), project)


def test_a_muted_project_sends_no_task_email_at_sending_time(app, make, smtp):
    ann = make.user(email="ann@example.com")
    bob = make.user(email="bob@example.com")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Write", assignee_id=bob)
    queue_event(app, bob, task, NotificationKind.ASSIGNED)
    with app.app_context():
        rules.mute_project(db.session, bob, project)
        db.session.commit()
    assert flush_task_notifications.apply(args=(bob, task)).get()["reason"] == "turned off"
    assert smtp.messages == []


def test_a_digest_turned_off_after_planning_is_not_sent_and_the_ledger_says_why(
    app, make, smtp, count_queries
):
    people = [make.user(email=f"p{n}@example.com") for n in range(3)]
    with app.app_context():
        rules.set_enabled(db.session, people[1], EmailKind.WEEKLY_SUMMARY, False)
        db.session.commit()
    pairs = [[user_id, "2026-W48"] for user_id in people]
    with count_queries() as statements:
        result = send_digest_chunk.apply(
            args=(EmailKind.WEEKLY_SUMMARY.value, pairs, utcnow().isoformat())
        ).get()
    assert result["skipped"] >= 1
    with app.app_context():
        row = db.session.scalar(select(Delivery).where(Delivery.recipient_id == people[1]))
        assert row is not None and row.status == DeliveryStatus.SKIPPED
        assert row.reason == {"skipped": "turned off by the recipient before sending"}
    assert not any("email_choices" in s and "WHERE" in s and "EXISTS" not in s for s in statements)
