"""Issue 15.5: nobody can tell which addresses have accounts. Login checks one password hash
whether or not the account exists (the time it takes was 110-340 ms against 7-24 ms);
forgot-password does the same work for both; registration answers a taken address as it
answers a new one, and emails the address's owner instead."""

from __future__ import annotations

import pytest
from werkzeug import security

from tests.conftest import DEFAULT_PASSWORD

REGISTRATION = {
    "name": "Mallory",
    "password": "long enough pw",
    "confirm": "long enough pw",
    "timezone": "UTC",
}


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """Every call of werkzeug's check_password_hash, by the method of the hash checked."""
    calls: list[str] = []
    real = security.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(pwhash.split(":", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(security, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize("email", ["ann@example.com", "nobody@example.com", "retired@example.com"])
def test_a_failed_login_checks_one_scrypt_hash_whether_or_not_the_account_exists(
    client, make, hash_checks, email
):
    make.user(email="ann@example.com")
    make.user(email="retired@example.com", is_active=False)
    response = client.post("/login", data={"email": email, "password": "wrong password"})
    assert response.status_code == 200
    assert b"do not match an active account" in response.data
    assert hash_checks == ["scrypt"]


def test_forgot_password_does_the_same_work_for_known_and_unknown_addresses(
    app, make, count_queries, monkeypatch
):
    make.user(email="ann@example.com")
    queued: list[tuple] = []
    monkeypatch.setattr(
        "app.accounts.account_views.try_queue", lambda task, *args: queued.append((task.name, args))
    )
    answers, statements = {}, {}
    for email in ("ann@example.com", "nobody@example.com"):
        with count_queries() as seen:
            answers[email] = app.test_client().post(
                "/forgot-password", data={"email": email}, follow_redirects=True
            )
        statements[email] = len(seen)
    assert answers["ann@example.com"].data == answers["nobody@example.com"].data
    assert statements["ann@example.com"] == statements["nobody@example.com"] == 0
    assert queued == [
        ("app.tasks.accounts.send_password_reset_to_address", ("ann@example.com",)),
        ("app.tasks.accounts.send_password_reset_to_address", ("nobody@example.com",)),
    ]


def test_registration_hashes_the_password_once_whether_or_not_the_address_is_taken(
    app, make, monkeypatch
):
    make.user(email="ann@example.com")
    hashed: list[str] = []
    real = security.generate_password_hash
    monkeypatch.setattr(
        security, "generate_password_hash", lambda *a, **k: hashed.append("x") or real(*a, **k)
    )
    for email in ("ann@example.com", "new@example.com"):
        app.test_client().post("/register", data={**REGISTRATION, "email": email})
    assert hashed == ["x", "x"]


@pytest.mark.worker
def test_signing_up_with_a_taken_address_emails_its_owner_not_the_stranger(
    app, make, smtp, celery_worker
):
    make.user(email="ann@example.com", name="Ann Owner")
    stranger = app.test_client()
    answer = stranger.post(
        "/register", data={**REGISTRATION, "email": "ann@example.com"}, follow_redirects=True
    )
    assert b"already" not in answer.data and b"Check your inbox" in answer.data
    assert stranger.get("/").status_code == 302, "the stranger is not logged in"
    [message] = smtp.wait_for(1)
    assert message["To"].endswith("<ann@example.com>")
    assert message["Subject"] == "You already have a Tickler account"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hi Ann Owner" in text and "/login" in text and "/forgot-password" in text
    assert "nothing was created or changed" in html
    # Mallory's password did not become Ann's.
    assert (
        stranger.post(
            "/login", data={"email": "ann@example.com", "password": "long enough pw"}
        ).status_code
        == 200
    )
    assert (
        app.test_client()
        .post("/login", data={"email": "ann@example.com", "password": DEFAULT_PASSWORD})
        .status_code
        == 302
    )


@pytest.mark.worker
def test_add_member_answers_alike_for_a_strangers_account_and_no_account(
    app, make, auth, client, smtp, celery_worker
):
    """The page's statements are counted alike in tests/projects/test_invitations.py, without a
    worker in this process adding its own to the count."""
    owner = make.user(email="own@example.com", name="Olga Owner")
    make.user(email="ann@example.com", name="Ann Stranger")
    project = make.project(owner, name="Launch")
    auth.login("own@example.com")
    answers, pages = {}, {}
    for email in ("ann@example.com", "nobody@example.com"):
        answers[email] = client.post(f"/projects/{project}/members", data={"email": email})
        pages[email] = client.get(f"/projects/{project}/members").get_data(as_text=True)
    known, unknown = answers["ann@example.com"], answers["nobody@example.com"]
    assert (known.status_code, known.location, known.data) == (
        unknown.status_code,
        unknown.location,
        unknown.data,
    )
    for email, page in pages.items():
        assert f"emailed an invitation to {email}" in page
    assert "Ann Stranger" not in pages["ann@example.com"]
    # Each address gets its invitation; only the email, which goes to the address, differs.
    messages = {message["To"].addresses[0].addr_spec: message for message in smtp.wait_for(2)}
    ann = messages["ann@example.com"].get_body(("plain",)).get_content()
    nobody = messages["nobody@example.com"].get_body(("plain",)).get_content()
    assert "log in to accept" in ann and "create a free account" in nobody
