"""Issue 15.2: login throttling counts per client address and per account separately. One
attacker's failures do not lock out someone else at another address; many addresses
attacking one account are paused; the owner gets through with the emailed reset link; sign-ups
and reset emails are limited too. Replayed behind real gunicorn in test_proxy_throttle_live.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import tokens
from app.accounts.models import User
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD

OWNER = {"email": "ann@example.com", "password": DEFAULT_PASSWORD}
WRONG = {"email": "ann@example.com", "password": "not the password"}


@pytest.fixture
def limited_app(make_app):
    return make_app(
        LOGIN_RATE_LIMIT="5 per minute",
        LOGIN_ACCOUNT_RATE_LIMIT="8 per 15 minutes",
        REGISTER_RATE_LIMIT="3 per hour",
        ACCOUNT_EMAIL_RATE_LIMIT="2 per hour",
    )


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_addresss_failures_do_not_lock_out_another_address(limited_app, make):
    make.user(email="ann@example.com")
    attacker = from_address(limited_app, "203.0.113.5")
    codes = [attacker.post("/login", data={**WRONG, "email": "x@example.com"}).status_code]
    codes += [attacker.post("/login", data=WRONG).status_code for _ in range(4)]
    assert codes == [200] * 5
    assert attacker.post("/login", data=OWNER).status_code == 429, "this address is limited"
    owner = from_address(limited_app, "198.51.100.7")
    assert owner.post("/login", data=OWNER).status_code == 302, "another address is not"


def test_many_addresses_against_one_account_are_paused_and_the_reset_link_lifts_it(
    limited_app, make
):
    ann_id = make.user(email="ann@example.com")
    botnet = [from_address(limited_app, f"203.0.113.{n}") for n in range(1, 9)]
    assert [bot.post("/login", data=WRONG).status_code for bot in botnet] == [200] * 8
    fresh = from_address(limited_app, "203.0.113.99")
    paused = fresh.post("/login", data=OWNER)
    assert paused.status_code == 429, "even the right password waits while the account is paused"
    assert b"reset your password" in paused.data
    # An unknown address is paused the same way, so a pause says nothing about accounts.
    for bot in botnet:
        bot.post("/login", data={**WRONG, "email": "nobody@example.com"})
    assert fresh.post("/login", data={**WRONG, "email": "nobody@example.com"}).status_code == 429
    # The owner opens the emailed reset link: in at once, and the pause is over everywhere.
    owner = from_address(limited_app, "198.51.100.7")
    with limited_app.app_context():
        link = "/reset-password/" + tokens.issue(
            limited_app.config["SECRET_KEY"], tokens.PASSWORD_RESET, db.session.get(User, ann_id)
        )
    new = "a fresh long password"
    reset = owner.post(link, data={"new_password": new, "confirm": new})
    assert reset.status_code == 302 and owner.get("/").status_code == 200
    phone = from_address(limited_app, "198.51.100.8")
    assert phone.post("/login", data={**OWNER, "password": new}).status_code == 302


def test_sign_ups_are_limited_per_address(limited_app):
    client = from_address(limited_app, "203.0.113.5")
    codes = [
        client.post(
            "/register",
            data={
                "name": f"Spam {n}",
                "email": f"victim{n}@example.com",
                "password": "long enough pw",
                "confirm": "long enough pw",
                "timezone": "UTC",
            },
        ).status_code
        for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    with limited_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 3
    # A mistyped form does not count against the address.
    other = from_address(limited_app, "198.51.100.7")
    for _ in range(4):
        assert other.post("/register", data={"name": "x"}).status_code == 200


def test_reset_emails_to_one_address_are_limited_whoever_asks(limited_app, make, monkeypatch):
    make.user(email="ann@example.com")
    queued: list[tuple] = []
    monkeypatch.setattr(
        "app.accounts.account_views.try_queue", lambda task, *args: queued.append((task.name, args))
    )
    for n in range(4):
        answer = from_address(limited_app, f"203.0.113.{n}").post(
            "/forgot-password", data={"email": "Ann@Example.com"}
        )
        assert answer.status_code == 302
    assert len(queued) == 2, "two emails an hour to one address, then nothing more"


def failed_logins(client, forwarded_for: list[str]) -> list[int]:
    """One failed login per X-Forwarded-For value, each for a different (unknown) account, so
    only the per-address limit can answer 429."""
    return [
        client.post(
            "/login",
            data={**WRONG, "email": f"x{n}@example.com"},
            headers={"X-Forwarded-For": header},
        ).status_code
        for n, header in enumerate(forwarded_for)
    ]


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_change_the_counted_address(
    make_app,
):
    app = make_app(LOGIN_RATE_LIMIT="5 per minute", TRUSTED_PROXY_COUNT=0)
    attacker = from_address(app, "203.0.113.5")
    forged = [f"198.51.100.{n}" for n in range(6)]
    assert failed_logins(attacker, forged) == [200] * 5 + [429]


def test_behind_one_trusted_proxy_only_the_last_forwarded_for_entry_counts(make_app):
    app = make_app(LOGIN_RATE_LIMIT="5 per minute", TRUSTED_PROXY_COUNT=1)
    nginx = from_address(app, "127.0.0.1")
    # The client's own X-Forwarded-For comes first; nginx appends the real address last.
    forged_then_real = [f"198.51.100.{n}, 203.0.113.5" for n in range(6)]
    assert failed_logins(nginx, forged_then_real) == [200] * 5 + [429]
    # Another real client behind the same proxy, naming the first one, is counted on its own.
    assert failed_logins(nginx, ["203.0.113.5, 203.0.113.77"]) == [200]
