"""Converting between UTC, which we store, and the zone a person lives in, which they read."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import get_timezone_location
from flask_babel import gettext, lazy_gettext

from app.core.i18n import current_language, format_moment

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# What browsers send for <input type=datetime-local>, plus what people type by hand.
ACCEPTED_INPUT_FORMATS = (DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted, for pickers and validation."""
    return tuple(sorted(available_timezones()))


def is_valid_timezone(name: str) -> bool:
    return name in timezone_names()


def _tz_database_file(name: str) -> bytes | None:
    """A file of the tz database, found where zoneinfo finds zones: TZPATH, then `tzdata`."""
    for base in zoneinfo.TZPATH:
        path = Path(base) / name
        if path.is_file():
            return path.read_bytes()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


@lru_cache(maxsize=1)
def canonical_timezones() -> tuple[str, ...]:
    """The zones people choose from: one per place in the tz database's zone.tab, and UTC;
    no aliases (US/Eastern, Etc/GMT+5, Factory, localtime)."""
    table = (_tz_database_file("zone.tab") or b"").decode()
    places = {
        line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")
    }
    return tuple(sorted((places & set(timezone_names())) | {"UTC"}))


@lru_cache(maxsize=1)
def _canonical_by_rules() -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for name in canonical_timezones():
        data = _tz_database_file(name)
        if data is not None:
            found.setdefault(data, name)
    return found


def canonical_equivalent(name: str) -> str | None:
    """The canonical zone with exactly the same rules as `name` (US/Eastern: America/New_York),
    `name` itself if canonical, None if there is none (Factory, Etc/GMT+5)."""
    if name in canonical_timezones():
        return name
    if not is_valid_timezone(name):
        return None
    data = _tz_database_file(name)
    return _canonical_by_rules().get(data) if data is not None else None


def timezone_label(name: str, now: datetime) -> str:
    """'Buenos Aires, Argentina (UTC-03:00)': the place first, so typing its name finds it."""
    if name == "UTC":
        return gettext("UTC, coordinated universal time")
    place = name.split("/", 1)[-1].replace("_", " ").split("/")
    offset = now.astimezone(zone(name)).strftime("%z")
    return f"{', '.join(reversed(place))} (UTC{offset[:3]}:{offset[3:]})"


def grouped_timezones(now: datetime) -> dict[str, list[tuple[str, str]]]:
    """Canonical zones by region (Africa, America, ... UTC), each as (name, label)."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in canonical_timezones():
        region = name.split("/", 1)[0] if "/" in name else "UTC"
        groups[region].append((name, timezone_label(name, now)))
    # UTC first: it is the default, and the one zone that is no place.
    regions = sorted(groups, key=lambda region: (region != "UTC", region))
    return {region: sorted(groups[region], key=lambda c: c[1]) for region in regions}


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
            message = f"{text!r} is too far in the past or future"  # i18n: internal
            raise ValueError(message) from None
    raise ValueError(f"{text!r} is not a date and time")  # i18n: internal


def format_local(moment: datetime | None, timezone_name: str, with_zone: bool = True) -> str:
    """A date people read at a glance, in the current language: 'Mon 23 Nov 2026, 14:05 CET',
    'Mo., 23. Nov. 2026, 14:05 CET'."""
    if moment is None:
        return ""
    return format_moment(to_local(moment, timezone_name), with_zone_name=with_zone)


def datetime_local_value(moment: datetime | None, timezone_name: str) -> str:
    """The value an <input type=datetime-local> needs to show `moment` in the person's zone."""
    if moment is None:
        return ""
    return to_local(moment, timezone_name).strftime(DATETIME_LOCAL_FORMAT)


# Zones whose city is not what people call their time; every other zone reads as its city.
_ZONE_WORDS = {
    "UTC": lazy_gettext("UTC"),
    "Etc/UTC": lazy_gettext("UTC"),
    "Asia/Kolkata": lazy_gettext("India time"),
    "Asia/Shanghai": lazy_gettext("China time"),
    "Asia/Ho_Chi_Minh": lazy_gettext("Vietnam time"),
    "Pacific/Honolulu": lazy_gettext("Hawaii time"),
}


def timezone_in_words(name: str) -> str:
    """The zone as people say it: 'New York time' for America/New_York, 'UTC' for UTC.

    Aliases read as their canonical zone (US/Eastern: 'New York time'); a zone with no place
    (Etc/GMT+5) is shown as its name, which is the one thing that still identifies it."""
    canonical = canonical_equivalent(name) or name
    if canonical in _ZONE_WORDS:
        return str(_ZONE_WORDS[canonical])
    if "/" not in canonical or canonical.startswith("Etc/"):
        return canonical
    return gettext("%(city)s time", city=city_name(canonical))


def city_name(name: str) -> str:
    """The zone's city in the current language ('New York', 'ニューヨーク'), from CLDR."""
    english = name.rsplit("/", 1)[-1].replace("_", " ")
    if current_language() == "en":
        return english
    try:
        return get_timezone_location(name, locale=current_language(), return_city=True)
    except (LookupError, ValueError):
        return english
