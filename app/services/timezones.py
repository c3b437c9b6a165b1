"""Converting between UTC, which we store, and the zone a person lives in, which they read."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# What browsers send for <input type=datetime-local>, plus what people type by hand.
ACCEPTED_INPUT_FORMATS = (DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted, for pickers and validation."""
    return tuple(sorted(available_timezones()))


def is_valid_timezone(name: str) -> bool:
    return name in timezone_names()


def zone(name: str) -> ZoneInfo:
    """The zone called `name`, or UTC when the stored name is no longer known."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_local(moment: datetime, timezone_name: str) -> datetime:
    return moment.astimezone(zone(timezone_name))


def local_to_utc(naive_local: datetime, timezone_name: str) -> datetime:
    """Read a wall-clock time as the person's zone would, and give it back in UTC.

    In a daylight-saving gap or overlap zoneinfo picks the earlier reading (fold=0), which is
    what people mean by "9:00" on the morning the clocks change.
    """
    return naive_local.replace(tzinfo=zone(timezone_name)).astimezone(UTC)


def parse_local_datetime(text: str, timezone_name: str) -> datetime:
    """Parse an <input type=datetime-local> value in the person's zone; ValueError if malformed."""
    for pattern in ACCEPTED_INPUT_FORMATS:
        try:
            naive = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        try:
            return local_to_utc(naive, timezone_name)
        except OverflowError:
            raise ValueError(f"{text!r} is too far in the past or future") from None
    raise ValueError(f"{text!r} is not a date and time")


def format_local(moment: datetime | None, timezone_name: str, with_zone: bool = True) -> str:
    """A date people read at a glance: 'Mon 23 Nov 2026, 14:05 CET'."""
    if moment is None:
        return ""
    local = to_local(moment, timezone_name)
    text = local.strftime("%a %d %b %Y, %H:%M")
    return f"{text} {local.tzname()}" if with_zone else text


def datetime_local_value(moment: datetime | None, timezone_name: str) -> str:
    """The value an <input type=datetime-local> needs to show `moment` in the person's zone."""
    if moment is None:
        return ""
    return to_local(moment, timezone_name).strftime(DATETIME_LOCAL_FORMAT)
