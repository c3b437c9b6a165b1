from datetime import UTC, datetime

import pytest

from app.core.timezones import (
    datetime_local_value,
    format_local,
    is_valid_timezone,
    local_to_utc,
    parse_local_datetime,
    timezone_in_words,
)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/Berlin", True),
        ("Asia/Kolkata", True),
        ("UTC", True),
        ("Mars/Olympus", False),
        ("", False),
    ],
)
def test_only_iana_zones_are_valid(name, valid):
    assert is_valid_timezone(name) is valid


def test_local_input_is_read_in_the_persons_zone():
    assert parse_local_datetime("2026-07-01T09:30", "Asia/Kolkata") == datetime(
        2026, 7, 1, 4, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["2026-12-01 17:00", "2026-12-01T17:00:00", "2026-12-01"])
def test_hand_typed_dates_are_accepted(text):
    assert parse_local_datetime(text, "UTC").date() == datetime(2026, 12, 1).date()


@pytest.mark.parametrize(
    "text", ["tomorrow", "2026-13-01T10:00", "2026-02-30T10:00", "99999-01-01", ""]
)
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_local_datetime(text, "UTC")


def test_a_date_too_early_to_convert_is_refused_not_crashed():
    with pytest.raises(ValueError):
        parse_local_datetime("0001-01-01T00:00", "Asia/Tokyo")


def test_wall_clock_time_in_a_daylight_saving_gap_resolves_to_a_real_instant():
    # 02:30 does not exist in Berlin on 2026-03-29; the earlier offset is used.
    assert local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_dates_show_in_the_viewers_zone_with_its_abbreviation():
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    assert format_local(moment, "America/New_York") == "Thu 15 Jan 2026, 07:00 EST"
    assert datetime_local_value(moment, "Asia/Tokyo") == "2026-01-15T21:00"


def test_unknown_stored_zone_falls_back_to_utc_instead_of_failing():
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    assert format_local(moment, "Nowhere/Land") == "Thu 15 Jan 2026, 12:00 UTC"


def test_zones_read_as_words_people_say():
    assert timezone_in_words("America/New_York") == "New York time"
    assert timezone_in_words("America/Argentina/Buenos_Aires") == "Buenos Aires time"
    assert timezone_in_words("US/Eastern") == "New York time"  # an alias reads as its place
    assert timezone_in_words("Asia/Kolkata") == "India time"
    assert timezone_in_words("UTC") == "UTC"


def test_zone_with_no_place_keeps_its_name():
    assert timezone_in_words("Etc/GMT+5") == "Etc/GMT+5"
