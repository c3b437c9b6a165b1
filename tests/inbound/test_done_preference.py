"""The "reply 'done' completes the task" choice on the preferences page: shown only with
inbound mail on, saved onto the person."""

from __future__ import annotations

from app.accounts.models import User


def test_the_choice_is_saved_and_shown(inbound_app, team, client, auth, make):
    auth.login("ann@example.com")
    page = client.get("/preferences").get_data(as_text=True)
    assert "Replying by email" in page and "reply_done_completes" in page
    client.post("/preferences", data={"reply_done_completes": "y"})
    assert make.get(User, team["ann"]).reply_done_completes is True
    client.post("/preferences", data={})
    assert make.get(User, team["ann"]).reply_done_completes is False


def test_without_inbound_mail_the_choice_is_not_offered(app, make, client, auth):
    make.user(email="own@example.com")
    auth.login("own@example.com")
    assert "Replying by email" not in client.get("/preferences").get_data(as_text=True)
