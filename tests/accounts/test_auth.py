import pytest
from sqlalchemy import func, select

from app.accounts import tokens
from app.accounts.models import User
from app.extensions import db

REGISTRATION = {
    "name": "Dana Doe",
    "email": "Dana@Example.com",
    "password": "long enough pw",
    "confirm": "long enough pw",
    "timezone": "Europe/Berlin",
}


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_account_with_hashed_password_and_the_emailed_link_logs_in(client, app):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 302 and response.location.endswith("/login")
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "dana@example.com"
        assert user.timezone == "Europe/Berlin"
        assert "long enough pw" not in user.password_hash
        assert user.password_hash.startswith("scrypt:")
        link = "/verify-email/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.EMAIL_VERIFICATION, user
        )
    assert client.get("/").status_code == 302, "not logged in before the address is proven"
    assert b"Confirm my address and log in" in client.get(link).data
    opened = client.post(link)
    assert opened.status_code == 302 and opened.location.endswith("/projects/new")
    page = client.get("/projects/new")
    assert page.status_code == 200 and b"Welcome to Tickler, Dana Doe" in page.data


def test_register_with_a_taken_address_answers_as_for_a_new_one_and_changes_nothing(
    client, app, make
):
    make.user(email="dana@example.com")
    taken = client.post("/register", data=REGISTRATION, follow_redirects=True)
    fresh = app.test_client().post(
        "/register", data={**REGISTRATION, "email": "erin@example.com"}, follow_redirects=True
    )
    assert b"already" not in taken.data
    assert taken.data.replace(b"Dana@Example.com", b"X") == fresh.data.replace(
        b"erin@example.com", b"X"
    )
    assert count_users(app) == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", b"does not look like an email"),
        ("password", "short", b"Use between 8"),
        ("confirm", "something else", b"The two passwords differ"),
        ("timezone", "Mars/Olympus", b"Choose a timezone"),
        ("name", "", b"Tell us your name"),
        ("name", "x" * 101, b"Keep your name to 100 characters or fewer"),
        ("name", "Bad\x00Name", b"control characters"),
    ],
)
def test_register_explains_bad_input_and_stores_nothing(client, app, field, value, message):
    data = {**REGISTRATION, field: value}
    if field == "password":
        data["confirm"] = value
    response = client.post("/register", data=data)
    assert response.status_code == 200
    assert message in response.data
    assert count_users(app) == 0


def test_login_and_logout(client, make, auth):
    make.user(email="ann@example.com")
    assert auth.login("ann@example.com").status_code == 302
    assert client.get("/").status_code == 200
    auth.logout()
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_wrong_password_and_unknown_address_get_the_same_answer(client, make, auth):
    make.user(email="ann@example.com")
    wrong = auth.login("ann@example.com", "wrong password")
    unknown = auth.login("nobody@example.com", "wrong password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"do not match an active account" in wrong.data
    assert b"do not match an active account" in unknown.data


def test_inactive_user_cannot_log_in(client, make, auth):
    make.user(email="gone@example.com", is_active=False)
    assert auth.login("gone@example.com").status_code == 200
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.test",
        "\\/evil.test",
        "/\\evil.test",
        "http:/\\/evil.test",
        "javascript:alert(1)",
        "https://evil.test/",
    ],
)
def test_login_redirects_only_to_local_pages(client, make, target):
    make.user(email="ann@example.com")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "ann@example.com", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_login_follows_a_local_next(client, make):
    make.user(email="ann@example.com")
    response = client.post(
        "/login",
        query_string={"next": "/projects/"},
        data={"email": "ann@example.com", "password": "correct horse battery"},
    )
    assert response.location == "/projects/"


def test_login_attempts_are_rate_limited(make_app, make):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert (
            client.post(
                "/login", data={"email": "x@example.com", "password": "nope nope"}
            ).status_code
            == 200
        )
    blocked = client.post("/login", data={"email": "x@example.com", "password": "nope nope"})
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    # Reading the page is not limited, only attempts.
    assert client.get("/login").status_code == 200


def test_forms_without_a_csrf_token_are_refused(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 400
    assert b"form had expired" in response.data
    assert count_users(app) == 0


def test_logout_needs_a_post_so_a_link_cannot_log_you_out(client, make, auth):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200
