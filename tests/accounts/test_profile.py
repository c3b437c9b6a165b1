import pytest

from app.accounts.models import User


def test_profile_changes_name_and_timezone(client, make, auth):
    me = make.user(email="ann@example.com")
    auth.login("ann@example.com")
    response = client.post(
        "/profile",
        data={"profile-name": "Ann B", "profile-timezone": "Asia/Tokyo", "profile-submit": "1"},
    )
    assert response.status_code == 302
    user = make.get(User, me)
    assert (user.name, user.timezone) == ("Ann B", "Asia/Tokyo")
    assert b"times shown in Asia/Tokyo" in client.get("/profile").data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"profile-name": "Ann", "profile-timezone": "Atlantis/Capital"}, b"Choose a timezone"),
        ({"profile-name": "", "profile-timezone": "UTC"}, b"Tell us your name"),
    ],
)
def test_profile_refuses_bad_values(client, make, auth, data, message):
    me = make.user(email="ann@example.com", name="Ann")
    auth.login("ann@example.com")
    response = client.post("/profile", data={**data, "profile-submit": "1"})
    assert message in response.data
    user = make.get(User, me)
    assert (user.name, user.timezone) == ("Ann", "UTC")


def test_password_change_needs_the_current_password(client, make, auth):
    make.user(email="ann@example.com")
    auth.login("ann@example.com")
    wrong = client.post(
        "/profile",
        data={
            "password-current_password": "not it",
            "password-new_password": "brand new secret",
            "password-confirm": "brand new secret",
            "password-submit": "1",
        },
    )
    assert b"current password is not right" in wrong.data
    client.post(
        "/profile",
        data={
            "password-current_password": "correct horse battery",
            "password-new_password": "brand new secret",
            "password-confirm": "brand new secret",
            "password-submit": "1",
        },
    )
    auth.logout()
    assert auth.login("ann@example.com", "correct horse battery").status_code == 200
    assert auth.login("ann@example.com", "brand new secret").status_code == 302
