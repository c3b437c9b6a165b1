"""The timezone picker: canonical zones by region; people on an alias keep their clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from app.accounts.models import User
from app.core.timezones import canonical_equivalent, canonical_timezones

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def options(page: str, name: str) -> list[tuple[str, bool]]:
    """(value, selected) of each option of the select called `name`."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, flags=re.S).group(0)
    found = []
    for tag in re.findall(r"<option[^>]*>", select):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        found.append((value, " selected" in tag))
    return found


def test_registration_offers_canonical_zones_grouped_by_region(client):
    page = client.get("/register").data.decode()
    values = [value for value, _ in options(page, "timezone")]
    assert len(values) == len(canonical_timezones()) < 450
    assert "Europe/Berlin" in values and "America/Argentina/Buenos_Aires" in values
    aliases = [v for v in values if v.split("/")[0] in {"US", "Etc", "Factory", "localtime"}]
    assert aliases == []
    for region in ("Africa", "America", "Asia", "Europe", "Pacific"):
        assert f'<optgroup label="{region}">' in page
    assert "Buenos Aires, Argentina (UTC-03:00)" in page
    assert "data-zone-picker" in page, "the filter box's hook"


def test_registration_refuses_an_alias_zone(client, app):
    data = {
        "name": "Dana",
        "email": "dana@example.com",
        "password": "long enough pw",
        "confirm": "long enough pw",
        "timezone": "US/Eastern",
    }
    response = client.post("/register", data=data)
    assert response.status_code == 200 and b"Choose a timezone from the list" in response.data


def profile_zone_options(client) -> list[tuple[str, bool]]:
    return options(client.get("/profile").data.decode(), "profile-timezone")


def save_profile(client, zone: str) -> None:
    response = client.post(
        "/profile",
        data={"profile-name": "Ann", "profile-timezone": zone, "profile-submit": "1"},
    )
    assert response.status_code == 302


def test_an_alias_zone_is_shown_as_its_canonical_twin_and_saved_as_it(client, make, auth, clock):
    me = make.user(email="ann@example.com", timezone="US/Eastern")
    auth.login("ann@example.com")
    chosen = [value for value, selected in profile_zone_options(client) if selected]
    assert chosen == ["America/New_York"]
    save_profile(client, "America/New_York")
    assert make.get(User, me).timezone == "America/New_York"


def test_a_zone_without_a_canonical_twin_stays_chosen_and_can_be_kept(client, make, auth, clock):
    me = make.user(email="ann@example.com", timezone="Etc/GMT+5")
    auth.login("ann@example.com")
    page = client.get("/profile").data.decode()
    assert '<optgroup label="Your current zone">' in page
    chosen = [value for value, selected in profile_zone_options(client) if selected]
    assert chosen == ["Etc/GMT+5"]
    save_profile(client, "Etc/GMT+5")
    assert make.get(User, me).timezone == "Etc/GMT+5"
    # Someone else's alias is still refused.
    response = client.post(
        "/profile",
        data={"profile-name": "Ann", "profile-timezone": "US/Pacific", "profile-submit": "1"},
    )
    assert b"Choose a timezone from the list" in response.data


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Factory", None),
        ("Atlantis/Capital", None),
    ],
)
def test_canonical_equivalent_matches_rules_not_names(name, canonical):
    assert canonical_equivalent(name) == canonical
