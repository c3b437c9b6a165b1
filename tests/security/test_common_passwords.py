"""Issue 15.10: the most common passwords (zxcvbn's list, from real leaks) and the account's
own address or name are refused at registration, reset and profile change (NIST SP
800-63B), with a message saying why; eight characters stay the minimum."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import tokens
from app.accounts.models import User
from app.accounts.password_rules import password_problem
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD

COMMON = "Password123"
NAME_AS_PASSWORD = "Ann Smithson"


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("password", "most common"),
        ("Password123", "most common"),
        ("qwertyuiop", "most common"),
        ("iloveyou", "most common"),
        ("short", "at least 8"),
        ("ann.smithson@example.com", "email address or your name"),
        ("annsmithson", "email address or your name"),
        ("ANN SMITHSON", "email address or your name"),
        ("correct horse battery", None),
    ],
)
def test_password_rules(password, refused):
    problem = password_problem(password, email="ann.smithson@example.com", name="Ann Smithson")
    assert (problem is None) if refused is None else (refused in problem)


def test_registration_refuses_a_common_password_and_creates_nothing(app, client):
    data = {
        "name": "Ann Smithson",
        "email": "ann.smithson@example.com",
        "timezone": "UTC",
    }
    for password in (COMMON, NAME_AS_PASSWORD):
        answer = client.post("/register", data={**data, "password": password, "confirm": password})
        assert answer.status_code == 200
        assert b"Choose another" in answer.data
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_reset_refuses_a_common_password_and_keeps_the_old_one(app, client, make):
    ann_id = make.user(email="ann.smithson@example.com", name="Ann Smithson")
    with app.app_context():
        user = db.session.get(User, ann_id)
        link = "/reset-password/" + tokens.issue(
            app.config["SECRET_KEY"], tokens.PASSWORD_RESET, user
        )
    answer = client.post(link, data={"new_password": COMMON, "confirm": COMMON})
    assert answer.status_code == 200 and b"most common" in answer.data
    assert make.get(User, ann_id).check_password(DEFAULT_PASSWORD)


def test_the_profile_refuses_the_persons_own_name_as_password(app, client, auth, make):
    ann_id = make.user(email="ann.smithson@example.com", name="Ann Smithson")
    auth.login("ann.smithson@example.com")
    answer = client.post(
        "/profile",
        data={
            "password-current_password": DEFAULT_PASSWORD,
            "password-new_password": NAME_AS_PASSWORD,
            "password-confirm": NAME_AS_PASSWORD,
            "password-submit": "1",
        },
    )
    assert answer.status_code == 200 and b"cannot be your email address or your name" in answer.data
    assert make.get(User, ann_id).check_password(DEFAULT_PASSWORD)
