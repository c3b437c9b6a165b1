"""In Chromium: the profile's timezone filter box narrows the list as a city is typed, and the
zone it leaves chosen is the one saved."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PASSWORD = "a good long password"
ZONES = "select[name=profile-timezone]"


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def shown_zones(page: Any) -> list[str]:
    """The zones a person can see in the list: neither the option nor its group hidden."""
    return page.eval_on_selector(
        ZONES,
        """select => Array.from(select.querySelectorAll("option"))
            .filter(option => !option.hidden && !option.parentElement.hidden)
            .map(option => option.value)""",
    )


def shown_regions(page: Any) -> list[str]:
    return page.eval_on_selector(
        ZONES,
        """select => Array.from(select.querySelectorAll("optgroup"))
            .filter(group => !group.hidden).map(group => group.label)""",
    )


def test_typing_a_city_narrows_the_zones_and_the_one_left_chosen_is_saved(live_server, page, make):
    me = make.user(email="ann@example.com", name="Ann", password=PASSWORD, timezone="UTC")
    log_in(page, live_server)
    page.goto(f"{live_server}/profile")
    every_zone = len(shown_zones(page))
    assert every_zone > 300
    box = page.get_by_role("searchbox", name="Filter the timezone list")
    assert box.get_attribute("placeholder") == "Filter: a city or region, e.g. Berlin"

    box.fill("Berl")
    assert shown_zones(page) == ["Europe/Berlin"]
    assert shown_regions(page) == ["Europe"]
    # UTC, chosen before, is filtered away: the list now stands on what is left.
    assert page.eval_on_selector(ZONES, "select => select.value") == "Europe/Berlin"

    box.fill("new york")  # words as a person types them, space for the zone's underscore
    assert shown_zones(page) == ["America/New_York"]
    box.fill("")
    assert len(shown_zones(page)) == every_zone

    box.fill("tokyo")
    assert shown_zones(page) == ["Asia/Tokyo"]
    with page.expect_navigation():
        page.click("[name=profile-submit]")
    assert make.get(User, me).timezone == "Asia/Tokyo"
    assert page.eval_on_selector(ZONES, "select => select.value") == "Asia/Tokyo"
